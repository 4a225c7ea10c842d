"""LiteRestore training pipeline: builds, trains, exports and evaluates the restoration networks."""
