"""reportgen: one event file in, bilingual briefings out (PDF and DOCX)."""

__version__ = "0.1.0"
