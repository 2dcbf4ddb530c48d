"""What a build is shown as: exports, interactive maps, the report, plots, calendars."""
