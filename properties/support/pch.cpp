// Compiles the precompiled header that every law binary reuses.
