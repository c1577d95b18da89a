"""Django's date formats for our languages (FORMAT_MODULE_PATH): they agree with
``exhibition.core.formats.DATE_STYLES``, so ``{{ value|date }}`` reads like ``{{ value|when }}``."""
