"""Reading provenance evidence (credit lines, bylines, datelines, captions, in-text cues)."""
