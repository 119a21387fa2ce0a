"""Coded segments for spreadsheets and scripts: CSV, XLSX and JSON writers over segment records."""
