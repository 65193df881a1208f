"""Scale data for performance work: generated French text (corpus), bulk loading (bulk) and the
`seed-scale` command (seed, cli), shared with the benchmarks under bench/."""
