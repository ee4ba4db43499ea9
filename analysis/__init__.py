"""Netralitas: evaluating the supervision of civil-servant (ASN) neutrality in Indonesian
regional-head elections (Pilkada), nationally and for Kepulauan Bangka Belitung.

Layout: ``paths`` (every path), ``schemas``/``validate`` (raw data rules), ``ledger``/``build``
(raw -> processed), ``intervals`` (exact intervals), ``report`` (notebooks -> reports/).
"""
