"""The Vietnamese language as data and small rules: dates, places (the gazetteer), ..."""
