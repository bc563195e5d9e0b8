"""Text reuse between stored articles: shared passages, provenance inferred from them, stories.

``detect`` finds the pairs of articles sharing text and aligns their passages; ``infer`` turns
pairs into ``text_reuse`` evidence and chains for pages silent about their source; ``stories``
groups articles about one event. ``shingles`` holds the vectorised text machinery they share.
"""
