"""Coding a document: the document pane, its view, highlighter and coding margin."""

from kzcoder.gui.coding.document_pane import CODE_ID_MIME, DocumentPane, DocumentView

__all__ = ["CODE_ID_MIME", "DocumentPane", "DocumentView"]
