"""From scanned paper to text with boxes: loading, OpenCV clean-up, Tesseract, entities.

Nothing here knows about HTTP or the archive; the CLI and the job queue call
:func:`ocr.runner.ocr_files`.
"""
