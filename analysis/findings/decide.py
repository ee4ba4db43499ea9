"""What would decide each open question: for every headline short of "supported", what blocks
the answer, the datum that removes the block (concretely: which figure, as of which dates,
from whom), and the smallest effect that datum could then detect, computed from the data held
(``methods.detectable``, at 80% power and a 5% two-sided test).

:func:`decisions` takes the headlines (``headlines.compute``) and returns one :class:`Decision`
per open question, in the order of the brief: the equal-lag gap, the province, the trend per
ASN, the source of detection, the 2020 decree, a supervision measure in the province's regencies
(the event study a register allows), the province's own sanctions (a case register) and the
nowcast of a running cycle. The briefs, the landing
page and the data-request template are built from them, so each recommendation names the
finding it would settle. Every number here is computed; the texts hold no typed figure.
"""
from __future__ import annotations

import math

import pandas as pd

from ..methods import detectable, power
from . import casestudy
from .decision import (BLOCKERS, Decision, iso_date, long_date, num, request_row,  # noqa: F401
                       whole)
from .verdicts import SUPPORTED, Verdict

POWER, LEVEL = 0.8, 0.95
RATIO_TARGET = 2.0        # a province whose rate is twice the country's: worth detecting
MEASURE_EFFECT_SD = 1.0   # a measure that moves a regency's change by one standard deviation
LAG_WINDOW_DAYS = 30      # a count within this many days of the other cycle's counts as equal lag
# The nowcast: how far the completion of cycles may differ (SD of log completion ratios), an
# assumption stated beside its number because one completed curve cannot estimate it, and the
# width asked for (the final share known to within about +/-15%: log(1.15) each side).
NOWCAST_SPREAD = 0.05
NOWCAST_MARGIN = 0.15
NOWCAST_WIDTH = 2 * math.log(1 + NOWCAST_MARGIN)

# --------------------------------------------------------------------------- the questions
def equal_lag(h: dict) -> Decision | None:
    """The share sanctioned by one lag, 2020 against 2024: blocked by case age (lag from the
    vote, not the report) and the agency. A register with report dates lets time to sanction
    be counted from the report; with the cases already counted, the detectable hazard ratio."""
    e = h.get("equal_lag")
    if not e or e["verdict"].strength == SUPPORTED:
        return None
    old_cycle, new_cycle = sorted(k for k in e if isinstance(k, int))
    new = e[new_cycle]
    x_new, n_new = (int(v) for v in new["counts"].split("/"))
    x_old, n_old = (int(v) for v in e[old_cycle]["upper_counts"].split("/"))
    events = x_new + x_old
    hr = detectable.hazard_ratio(events, n_new / (n_new + n_old), LEVEL, POWER)
    both = f"{old_cycle}, {new_cycle}"
    numbers = {"events": events, "cases_new": n_new, "cases_old": n_old,
               "hazard_ratio": hr}
    return Decision(
        "equal_lag", f"Apakah sanksi Pilkada {new_cycle} lebih lambat daripada {old_cycle}?",
        f"Are Pilkada {new_cycle} sanctions slower than {old_cycle}'s?", e["verdict"],
        ("case_age", "agency", "definition"),
        f"tanggal laporan, rekomendasi dan sanksi setiap kasus Pilkada {old_cycle} dan "
        f"{new_cycle}, agar waktu sampai sanksi dihitung dari laporan",
        f"the report, recommendation and sanction date of every Pilkada {old_cycle} and "
        f"{new_cycle} case, so time to sanction is counted from the report",
        "BKN",
        f"dengan {whole(n_new, 'id')} dan {whole(n_old, 'id')} kasus yang sudah dihitung "
        f"({whole(events, 'id')} sanksi), selisih kecepatan sebesar {num(hr, 'id', 2)} kali "
        "(rasio hazard) akan terdeteksi",
        f"with the {whole(n_new, 'en')} and {whole(n_old, 'en')} cases already counted "
        f"({whole(events, 'en')} sanctions), a {num(hr, 'en', 2)}-fold difference in speed "
        "(hazard ratio) would be detected",
        numbers,
        (request_row("date_report", "tanggal laporan setiap kasus", "report date of every case",
              both, "semua / all", "BKN"),
         request_row("date_recommendation", "tanggal rekomendasi", "recommendation date",
              both, "semua / all", "BKN"),
         request_row("date_sanction",
                     "tanggal sanksi dijatuhkan PPK", "date the PPK imposed the sanction",
              both, "semua / all", "BKN, PPK"),
         request_row("outcome",
                     "status perkara pada tanggal data", "state of the case at the data date",
              both, "semua / all", "BKN")))


def province(h: dict, regions: pd.DataFrame) -> Decision | None:
    """The province against the country: blocked by overdispersion (a partial list gives only a
    lower bound) and few cases. The detectable ratio now, and how many releases or register
    years at the same rate must be pooled before a doubled rate could show."""
    p = h.get("province")
    if not p or p["verdict"].strength == SUPPORTED or not p["comparisons"]:
        return None
    latest = p["comparisons"][-1]
    # the province's phi under its release's variance form, as its ratio and detectable ratio
    mu, phi = float(latest["expected"]), max(1.0, float(latest.get("phi_used", latest["phi"])))
    now = float(latest["detectable_ratio"])
    # against the funnel's own limits, as the detectable ratio now (casestudy.detectable_ratio)
    pooled = power.funnel_releases_to_detect(mu, phi, RATIO_TARGET, LEVEL, POWER)
    pooled_poisson = power.funnel_releases_to_detect(mu, 1.0, RATIO_TARGET, LEVEL, POWER)
    name = p["province"]
    n_regencies = len(casestudy.province_regions(regions, name)) - 1
    n_provinces = int((regions["level"] == "province").sum())
    lower = latest.get("phi_kind") == "lower bound"
    numbers = {"election": latest["election"], "expected": mu, "phi": phi, "phi_lower_bound": lower,
               "detectable_now": now, "releases_for_2": pooled,
               "releases_for_2_poisson": pooled_poisson, "n_regencies": n_regencies}
    at_least_id, at_least_en = ("sedikitnya ", "at least ") if lower else ("", "")
    return Decision(
        "province", f"Apakah tingkat pelanggaran ASN di {name} berbeda dari nasional?",
        f"Is the ASN violation rate in {name} different from the country's?", p["verdict"],
        ("overdispersion", "too_few_points"),
        f"daftar lengkap {n_provinces} provinsi pada setiap rilis Bawaslu, jumlah ASN per "
        f"kabupaten/kota di {name} ({n_regencies} wilayah) dan register kasus per kabupaten/kota",
        f"the full list of all {n_provinces} provinces in each Bawaslu release, the number of ASN "
        f"in each of the {n_regencies} regencies/cities of {name}, and a case register per "
        "regency/city",
        f"Bawaslu, BKPSDMD {name}",
        f"kini tingkatnya harus {at_least_id}{num(now, 'id')} kali nasional agar terdeteksi; "
        f"agar dua kali lipat terdeteksi perlu {at_least_id}{whole(pooled, 'id')} rilis atau tahun "
        f"register digabung dengan variasi seperti rilis {latest['election']} "
        f"({whole(pooled_poisson, 'id')} tanpa variasi antarprovinsi)",
        f"today its rate would have to be {at_least_en}{num(now, 'en')} times the country's to "
        f"be detected; to detect a doubled rate, {at_least_en}{whole(pooled, 'en')} releases or "
        f"register years would have to be pooled with the variation of the {latest['election']} "
        f"release ({whole(pooled_poisson, 'en')} without variation between provinces)",
        numbers,
        (request_row(f"region ({n_provinces} provinces)",
                     "jumlah kasus setiap provinsi, termasuk nol",
              "case count of every province, zeros included", latest["election"].split()[-1],
              "tanggal rilis / release date", "Bawaslu"),
         request_row("asn_headcount", f"jumlah ASN per kabupaten/kota di {name}",
              f"ASN headcount per regency/city in {name}", "per siklus / per cycle",
              "akhir tahun / end of year", f"BKPSDMD {name}"),
         request_row("region", "kabupaten/kota setiap kasus", "regency/city of every case",
              "semua / all", "semua / all", f"Bawaslu {name}")))


def province_sanctions(h: dict) -> Decision | None:
    """The province's own enforcement: no published share of its reported ASN sanctioned, only
    single cases (``h["province_record"]``). A case register with report and sanction dates;
    with a cycle as large as the most complete one held (its executed sanctions) and the
    province's share of PNS, the hazard ratio against the rest of the country it could detect."""
    p, rec, f = h.get("province"), h.get("province_record"), h.get("follow_up")
    if not p or not rec or not f or not p.get("pns") or not p.get("pns_national"):
        return None
    verdict = rec["enforcement_verdict"]
    if verdict.strength == SUPPORTED:
        return None
    name = p["province"]
    events, share = int(f["last"]["x"]), float(p["pns"]) / float(p["pns_national"])
    hr = detectable.hazard_ratio(events, share, LEVEL, POWER)
    cycle = f["cycle"]
    numbers = {"events": events, "share_pns": share, "expected_events": events * share,
               "hazard_ratio": hr, "cycle": cycle}
    return Decision(
        "province_sanctions", f"Apakah sanksi dijalankan di {name}, dan seberapa cepat?",
        f"Are sanctions executed in {name}, and how fast?", verdict, ("too_few_points",),
        f"register kasus {name}: tanggal laporan, rekomendasi dan sanksi setiap ASN yang "
        "dilaporkan, per kabupaten/kota",
        f"a case register of {name}: the report, recommendation and sanction date of every ASN "
        "reported, per regency/city",
        f"BKPSDMD {name}, Bawaslu {name}",
        f"dalam siklus sebesar Pilkada {cycle} ({whole(events, 'id')} sanksi), sekitar "
        f"{whole(events * share, 'id')} sanksi di {name} menurut porsi PNS-nya; waktu sampai "
        "sanksi "
        f"di provinsi harus {num(hr, 'id', 2)} kali lebih cepat atau lambat dari provinsi lain "
        "agar terdeteksi",
        f"in a cycle as large as Pilkada {cycle} ({whole(events, 'en')} sanctions), about "
        f"{whole(events * share, 'en')} of them in {name} by its share of PNS; time to sanction in "
        f"the province would have to be {num(hr, 'en', 2)} times faster or slower than elsewhere "
        "to be detected",
        numbers,
        (request_row("date_report, date_recommendation, date_sanction",
              f"tanggal laporan, rekomendasi dan sanksi setiap kasus di {name}",
              f"report, recommendation and sanction date of every case in {name}",
              "setiap siklus / every cycle", "semua / all", f"BKPSDMD {name}"),
         request_row("region", "kabupaten/kota setiap kasus", "regency/city of every case",
              "setiap siklus / every cycle", "semua / all", f"Bawaslu {name}")))


def _nearest(snapshots: pd.DataFrame, cycle: int, agency: str, lag: int, column: str):
    s = snapshots[(snapshots["scope"] == "national") & (snapshots["cycle"] == cycle)
                  & (snapshots["election_type"] == "pilkada") & (snapshots["agency"] == agency)
                  & snapshots[column].notna()]
    s = s.assign(_d=(s["days_since_vote"] - lag).abs()).sort_values(["_d", "as_of_date"])
    return s.iloc[0] if len(s) and s["_d"].iloc[0] <= LAG_WINDOW_DAYS else None


def rates(h: dict, snapshots: pd.DataFrame, elections: pd.DataFrame,
          phi: float) -> Decision | None:
    """ASN reported per ASN across cycles: blocked by lag (the figures chosen lie far apart in
    days from the vote) and by the exposure (national headcounts, not the regions voting). With
    counts at equal lag the detectable rate ratio under Poisson and under the provinces' ``phi``
    shows that lag and exposure, not noise, are what block it."""
    r = h.get("rates")
    if r is None or len(r) < 2 or r.attrs["verdict"].strength == SUPPORTED:
        return None
    from .series import regions_holding

    new = r.sort_values("cycle").iloc[-1]
    old_cycle = int(r.sort_values("cycle").iloc[-2]["cycle"])
    lag = int(new["days_since_vote"])
    vote_old = pd.Timestamp(snapshots.loc[(snapshots["cycle"] == old_cycle)
                                          & (snapshots["election_type"] == "pilkada"),
                                          "voting_day"].iloc[0])
    target_date = iso_date(vote_old + pd.Timedelta(days=lag))
    held = None
    for agency in ("KASN", "BKN", new["agency"]):
        held = _nearest(snapshots, old_cycle, agency, lag, "reported")
        if held is not None:
            break
    mu_old = float(held["reported"]) if held is not None else float(new["value"])
    ratio = detectable.rate_ratio_two_counts(float(new["value"]), mu_old, 1.0, LEVEL, POWER)
    ratio_phi = detectable.rate_ratio_two_counts(float(new["value"]), mu_old, phi, LEVEL, POWER)
    regions = {c: regions_holding(elections, c, "pilkada") for c in (old_cycle, int(new["cycle"]))}
    n_regions = {c: (int(v["regions_in_election"]) if v is not None else None)
                 for c, v in regions.items()}
    numbers = {"lag": lag, "target_date": target_date, "window_days": LAG_WINDOW_DAYS,
               "count_new": float(new["value"]), "count_old": mu_old,
               "held_old": None if held is None else {"as_of": held["as_of_date"],
                                                      "day": int(held["days_since_vote"]),
                                                      "agency": held["agency"]},
               "ratio_poisson": ratio, "ratio_phi": ratio_phi, "phi": phi,
               "regions_in_election": n_regions}
    held_id = held_en = ""
    if held is not None and held["agency"] != new["agency"]:
        held_id = (f" (buku besar memuat {whole(mu_old, 'id')} ASN dilaporkan ke {held['agency']} "
                   f"pada hari ke-{int(held['days_since_vote'])}, tetapi dari lembaga lain)")
        held_en = (f" (the ledger holds {whole(mu_old, 'en')} ASN reported to {held['agency']} on "
                   f"day {int(held['days_since_vote'])}, but from another agency)")
    regions_id = " dan ".join(f"{n} daerah pada {c}" for c, n in n_regions.items() if n)
    regions_en = " and ".join(f"{n} regions in {c}" for c, n in n_regions.items() if n)
    return Decision(
        "rates", "Apakah pelanggaran per ASN menurun dari siklus ke siklus?",
        "Are violations per ASN falling from cycle to cycle?", r.attrs["verdict"],
        ("lag", "unit", "overdispersion"),
        f"jumlah ASN yang dilaporkan pada Pilkada {old_cycle} per {target_date} ± "
        f"{LAG_WINDOW_DAYS} hari (hari ke-{lag}, seperti angka {int(new['cycle'])}){held_id}, dan "
        f"jumlah ASN di daerah yang memilih ({regions_id})",
        f"the number of ASN reported in Pilkada {old_cycle} as of {target_date} ± "
        f"{LAG_WINDOW_DAYS} days (day {lag}, as the {int(new['cycle'])} figure){held_en}, and the "
        f"ASN headcount of the regions voting ({regions_en})",
        "BKN",
        f"dengan hitungan sebesar itu, rasio tingkat {num(ratio, 'id', 2)} akan terdeteksi "
        f"(Poisson) atau {num(ratio_phi, 'id', 2)} dengan variasi antarprovinsi "
        f"(φ = {num(phi, 'id')}): yang menghalangi adalah jeda dan penyebut, bukan acak",
        f"with counts that large, a rate ratio of {num(ratio, 'en', 2)} would be detected "
        f"(Poisson), or {num(ratio_phi, 'en', 2)} with the variation between provinces "
        f"(φ = {num(phi, 'en')}): lag and denominator, not noise, are what block it",
        numbers,
        (request_row("reported (ASN)", "jumlah ASN yang dilaporkan", "number of ASN reported",
              str(old_cycle), f"{target_date} ± {LAG_WINDOW_DAYS}", "BKN"),
         request_row("asn_headcount (regions voting)", "jumlah ASN di daerah yang memilih",
              "ASN headcount of the regions voting", f"{old_cycle}, {int(new['cycle'])}",
              "tahun pemilihan / election year", "BKN")))


def detection(h: dict, snapshots: pd.DataFrame, phi: float) -> Decision | None:
    """The source of detection: blocked by comparing a general election with a regional one at
    different lags, and by clustered reports. The share of Bawaslu's own findings for the next
    Pilkada at the same lag; the detectable difference with a design effect ``phi``."""
    d = h.get("detection")
    if not d or d["verdict"].strength == SUPPORTED:
        return None
    base = next((r for r in d["rows"] if r["election_type"] == "pilkada"), d["rows"][-1])
    latest = snapshots[(snapshots["scope"] == "national") & (snapshots["agency"] == "Bawaslu")
                       & (snapshots["election_type"] == "pilkada") & snapshots["reported"].notna()]
    latest = latest.sort_values(["cycle", "as_of_date"]).iloc[-1] if len(latest) else None
    n_new = float(latest["reported"]) if latest is not None else float(base["total"])
    new_cycle = int(latest["cycle"]) if latest is not None else None
    low, high = detectable.share_difference(base["share"], base["total"], n_new, phi,
                                            LEVEL, POWER)
    numbers = {"share": base["share"], "n_base": base["total"], "n_new": n_new,
               "day": base["days_since_vote"], "share_low": low, "share_high": high,
               "deff": phi, "cycle_new": new_cycle}
    day = base["days_since_vote"]
    pts = lambda x, lang: num(100 * x, lang)  # noqa: E731
    return Decision(
        "detection", "Apakah sumber temuan pelanggaran bergeser (patroli Bawaslu vs laporan "
        "masyarakat)?", "Has the source of detection shifted (Bawaslu patrols vs public reports)?",
        d["verdict"], ("definition", "lag", "overdispersion"),
        f"jumlah temuan Bawaslu dan laporan masyarakat untuk Pilkada {new_cycle} pada hari ke-"
        f"{day} setelah pemungutan suara (seperti {base['election']}), dengan jumlah peristiwa "
        "berbeda di baliknya",
        f"Bawaslu's own findings and public reports for Pilkada {new_cycle} as of day {day} after "
        f"the vote (as for {base['election']}), with the number of distinct incidents behind them",
        "Bawaslu",
        f"dengan {whole(n_new, 'id')} kasus dan pengelompokan seperti variasi antarprovinsi "
        f"(efek desain {num(phi, 'id')}), porsi temuan sendiri harus turun dari "
        f"{pts(base['share'], 'id')}% ke {pts(low, 'id')}% agar terdeteksi",
        f"with {whole(n_new, 'en')} cases clustered like the variation between provinces (design "
        f"effect {num(phi, 'en')}), the share of own findings would have to fall from "
        f"{pts(base['share'], 'en')}% to {pts(low, 'en')}% to be detected",
        numbers,
        (request_row("detection_source",
                     "sumber temuan setiap kasus (temuan, laporan, patroli siber)",
              "detection source of every case (finding, report, cyber patrol)",
              str(new_cycle), f"hari ke-{day} / day {day}", "Bawaslu"),
         request_row("incident", "peristiwa yang sama untuk laporan yang berkelompok",
              "the incident that grouped reports share", str(new_cycle), "semua / all",
              "Bawaslu")))


def decree(h: dict) -> Decision | None:
    """The September 2020 decree: a national break in one series with three snapshots before it.
    The level change detectable now, and with a snapshot every 30 days for 180 days on each side,
    at the residual scatter of today's fit (independent errors assumed)."""
    dc = h.get("decree")
    if not dc or dc["verdict"].strength == SUPPORTED:
        return None
    fit = dc["fit"]
    times = fit.fitted["days_since_vote"].to_numpy(dtype=float)
    resid = fit.fitted["residual"].to_numpy(dtype=float)
    df = max(1, len(resid) - 4)
    sigma = float(math.sqrt((resid ** 2).sum() / df))
    brk = float(dc["decree_lag"])
    now = detectable.its_level_effect(times, brk, sigma, LEVEL, POWER)
    monthly = [brk + d for d in range(-180, 181, 30) if d != 0]
    then = detectable.its_level_effect(monthly, brk, sigma, LEVEL, POWER)
    numbers = {"n_pre": int(dc["n_pre"]), "n_post": int(dc["n_post"]), "sigma": sigma,
               "effect_now": now, "effect_monthly": then, "n_monthly": len(monthly)}
    return Decision(
        "decree", f"Apakah SKB {long_date(h['decree_date'], 'id')} mempercepat sanksi?",
        f"Did the joint decree of {long_date(h['decree_date'], 'en')} speed up sanctions?",
        dc["verdict"],
        ("too_few_points", "too_few_units"),
        "jumlah rekomendasi dan sanksi yang dijalankan setiap 30 hari, dari 6 bulan sebelum "
        "hingga 6 bulan sesudah sebuah langkah dimulai; lebih baik lagi, penerapan bertahap antar "
        "daerah dengan register kasus",
        "the numbers of recommendations and executed sanctions every 30 days, from 6 months before "
        "to 6 months after a measure starts; better still, a staggered start across regions with "
        "a case register",
        "BKN, KemenPAN-RB",
        f"kini perubahan level baru terdeteksi bila sebesar {num(100 * now, 'id')} poin; dengan "
        f"{len(monthly)} angka bulanan, {num(100 * then, 'id')} poin",
        f"today a level change would have to be {num(100 * now, 'en')} points to be detected; "
        f"with {len(monthly)} monthly figures, {num(100 * then, 'en')} points",
        numbers,
        (request_row("recommended, executed (ASN)",
                     "jumlah rekomendasi dan sanksi dijalankan, kumulatif",
              "cumulative recommendations and executed sanctions", "setiap siklus / every cycle",
              "setiap 30 hari / every 30 days", "BKN"),))


def measure(h: dict, regions: pd.DataFrame) -> Decision:
    """A supervision measure in some of the province's regencies (the event study a register
    allows): the smallest randomisation p-value with one treated regency, how many treated are
    needed to reach 5%, and the detectable effect then."""
    name = h["province"]["province"]
    n = len(casestudy.province_regions(regions, name)) - 1
    floor_one = detectable.randomisation_floor(n, 1) if n >= 1 else math.nan
    need = detectable.treated_to_reach(n, LEVEL) if n >= 2 else None
    effect = detectable.did_effect(n, need, LEVEL, POWER) if need else math.nan
    numbers = {"n_regencies": n, "floor_one_treated": floor_one, "treated_needed": need,
               "effect_sd": effect}
    if need:
        tail_id = (f"perlu sedikitnya {need} daerah yang menerapkan; dengan {need} daerah, efek "
                   f"sebesar {num(effect, 'id')} simpangan baku perubahan antarsiklus terdeteksi")
        tail_en = (f"at least {need} regions must apply it; with {need}, an effect of "
                   f"{num(effect, 'en')} standard deviations of a regency's change would be "
                   "detected")
    else:
        tail_id = tail_en = ""
    verdict = Verdict("cannot tell",
                      f"{name} memiliki {n} kabupaten/kota; bila hanya satu menerapkan langkah, "
                      f"nilai p terkecil yang mungkin adalah {num(floor_one, 'id', 3)}",
                      f"{name} has {n} regencies/cities; with one applying a measure, the "
                      f"smallest possible p-value is {num(floor_one, 'en', 3)}")
    return Decision(
        "measure", f"Apakah sebuah langkah pengawasan berhasil di {name}?",
        f"Did a supervision measure work in {name}?", verdict, ("too_few_units",),
        "tanggal mulai setiap langkah pengawasan per kabupaten/kota dan register kasus per "
        "kabupaten/kota untuk sedikitnya satu siklus sebelum dan sesudahnya",
        "the start date of each supervision measure per regency/city and a case register per "
        "regency/city for at least one cycle before and after it",
        f"Bawaslu {name}, Pemprov {name}",
        f"dengan satu daerah, nilai p tidak pernah di bawah {num(floor_one, 'id', 3)}; {tail_id}",
        f"with one region, the p-value can never fall below {num(floor_one, 'en', 3)}; {tail_en}",
        numbers,
        (request_row("measure start (per regency)",
                     "tanggal mulai langkah di setiap kabupaten/kota",
              "start date of the measure in each regency/city", "semua / all", "tanggal mulai / "
              "start date", f"Bawaslu {name}"),
         request_row("region, cycle", "kasus per kabupaten/kota per siklus",
              "cases per regency/city per cycle", "sebelum dan sesudah / before and after",
              "semua / all", f"Bawaslu {name}")))


def nowcast(k_available: int, missing_cycles: list[int], horizon_days: int) -> Decision:
    """The nowcast of a running cycle: blocked by too few completed curves. The fewest curves
    for any interval (2) and for one within about ``NOWCAST_MARGIN`` of the final value if
    cycles differ by ``NOWCAST_SPREAD`` (an assumption, stated with the number)."""
    need = detectable.references_for_width(NOWCAST_SPREAD, NOWCAST_WIDTH, LEVEL)
    numbers = {"k_available": k_available, "k_any": 2, "k_width": need,
               "spread": NOWCAST_SPREAD, "margin": NOWCAST_MARGIN, "width": NOWCAST_WIDTH,
               "missing_cycles": missing_cycles}
    verdict = Verdict("cannot tell",
                      f"hanya {k_available} kurva siklus selesai",
                      f"only {k_available} completed-cycle curve(s)")
    spread = num(100 * NOWCAST_SPREAD, "id", 0), num(100 * NOWCAST_SPREAD, "en", 0)
    margin = num(100 * NOWCAST_MARGIN, "id", 0), num(100 * NOWCAST_MARGIN, "en", 0)
    cycles_id = ", ".join(map(str, missing_cycles[:-1])) + (" dan " if len(missing_cycles) > 1
                                                             else "") + str(missing_cycles[-1])
    cycles_en = cycles_id.replace(" dan ", " and ")
    tail_id = (f"; bila siklus berbeda sekitar {spread[0]}% dalam kelengkapannya, perlu {need} "
               f"kurva agar nilai akhir diketahui dalam ±{margin[0]}%") if need else ""
    tail_en = (f"; if cycles differ by about {spread[1]}% in how complete they are, {need} "
               f"curves give the final value within ±{margin[1]}%") if need else ""
    return Decision(
        "nowcast", "Berapa bagian sanksi yang akhirnya akan dijalankan pada siklus berjalan?",
        "What share of sanctions will finally be executed in the running cycle?", verdict,
        ("too_few_cycles",),
        f"jumlah rekomendasi dan sanksi dijalankan setiap 30 hari sampai hari ke-{horizon_days} "
        f"untuk Pilkada {cycles_id}",
        f"the numbers of recommendations and executed sanctions every 30 days up to day "
        f"{horizon_days} for Pilkada {cycles_en}",
        "BKN",
        f"interval prediksi baru ada dengan 2 kurva siklus selesai (kini {k_available}){tail_id}",
        f"a prediction interval needs 2 completed-cycle curves (now {k_available}){tail_en}",
        numbers,
        (request_row("recommended, executed (ASN)",
              f"jumlah kumulatif setiap 30 hari sampai hari ke-{horizon_days}",
              f"cumulative counts every 30 days to day {horizon_days}",
              ", ".join(map(str, missing_cycles)), "setiap 30 hari / every 30 days", "BKN"),))


def provincial_phi(h: dict) -> float:
    """The overdispersion of the province releases that is an estimate, not a lower bound (the
    largest such), at least 1: the variation the national comparisons are judged under."""
    rows = (h.get("province") or {}).get("comparisons") or []
    estimated = [float(r["phi"]) for r in rows if r.get("phi_kind") != "lower bound"
                 and pd.notna(r.get("phi"))]
    return max([1.0, *estimated])


def decisions(h: dict, snapshots: pd.DataFrame, elections: pd.DataFrame,
              regions: pd.DataFrame, running: dict, horizon_days: int) -> list[Decision]:
    """Every open question, in the brief's order (see the module docstring). ``running``: the
    running-cycle nowcast (``nowcast.running_nowcast``), whose series table says which Pilkada
    cycles have a completed curve."""
    phi = provincial_phi(h)
    table = running["table"]
    done = set(table.loc[table["completed"] & (table["election_type"] == "pilkada"), "cycle"])
    cycles = sorted({int(c) for c in elections.loc[elections["election_type"] == "pilkada",
                                                   "cycle"]} - {int(c) for c in done})
    out = [equal_lag(h), province(h, regions), rates(h, snapshots, elections, phi),
           detection(h, snapshots, phi), decree(h), measure(h, regions),
           province_sanctions(h), nowcast(running["k_available"], cycles, horizon_days)]
    return [d for d in out if d is not None]
