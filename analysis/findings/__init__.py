"""Findings layer: the questions of this field answered on our data.

What belongs here: enforcement funnels and follow-up at equal lags (and which lags two elections
share), rate series and their denominators, province comparisons and the province overview (with
each province's status on its map), the province case study, the evidence summary, the register
overview and the register's tables protected together, the effects of supervision measures (the
event study of each), incumbency (with the national counts of incumbents running), the nowcast
of a running cycle, the verdicts (how strong each finding is), what data would decide each open
question, a province's own record, the scorecard, and the headline findings shared by the
notebooks and the briefs. It uses :mod:`analysis.data` and :mod:`analysis.methods`; it returns
tables and numbers, never HTML or figures.
"""
__all__ = ["casestudy", "decide", "decision", "enforcement", "evidence", "follow_up", "headlines",
           "incumbency", "measure_studies", "nowcast", "overview", "province_record",
           "province_status", "provinces", "register_overview", "register_tables", "scorecard",
           "series", "supervision", "verdicts"]
