from exhibition.core.formats import DATE_STYLES

_S = DATE_STYLES["en"]
DATE_FORMAT = _S["date"]
DATETIME_FORMAT = _S["datetime"]
TIME_FORMAT = _S["time"]
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = _S["month"]
SHORT_DATE_FORMAT = _S["short"]
SHORT_DATETIME_FORMAT = _S["short"] + " H:i"
