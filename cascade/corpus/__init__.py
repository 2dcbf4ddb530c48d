"""The corpus as a whole: the build pipeline over many files, its cache and outputs."""
