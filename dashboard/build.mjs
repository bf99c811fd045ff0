// replaced by the dashboard's bundler
