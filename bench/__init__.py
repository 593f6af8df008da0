"""Benchmarks and accuracy measurements for unspun; reads real news from ../shared/data."""
