"""The farm benchmark: articles made from real news the way content farms make them, with the
truth recorded per sentence (generate), and unspun's findings scored against it (score)."""
