"""Web archiving: every fetched byte kept in WARC (ISO 28500), and read back for replay.

``location`` is the address of one record (kept light: replay imports it), ``records``
turns an HTTP exchange into WARC records, ``writer`` appends them to files that survive a
crash, ``reader`` finds and reads response records again.
"""
