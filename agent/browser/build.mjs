// replaced by the browser agent's bundler
