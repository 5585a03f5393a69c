"""Reports: each command's question answered as a typed result, ready to render."""
