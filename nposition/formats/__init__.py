"""Reading and writing files: YAML positions, GENIUS XML, and their declared formats."""
