"""The clearance records behind the parcels: households, steps with documents, payments,
complaints, blockers, and the status history derived from them (all ILLUSTRATIVE).

Each parcel goes through the steps of the Land Law 2024 procedure (``mapapp.clearance.
procedure``) as far as its status says (``STEPS_UP_TO``), dated from the clearance register's
opening with random but legal gaps (notice ≥ 90/180 days before the decision, 30 days of
posting, payment within 30 days of approval unless planted late). The 2018 records predate
the 2024 law (the 2013 law applied, with the same 90/180-day notice); the signers are the
district's and commune's bodies of 2018, named by role. Households are placeholders
("Hộ gia đình GP-SH-01-1"). A separate random stream (``SEED + 13``) keeps the geometry and
the parcels' attributes as they were.

Planted, for the app to show: a compulsory inventory (persuasion 15 days, then the decision),
an overdue payment (GP-TPT-23, under the leased lot TPT-F05), a payment made late with
interest, a deposit, an enforcement with all its conditions, a complaint settled while the
steps went on (Decree 102/2024/NĐ-CP Art. 40), open complaints on the disputed parcels, the
canal strip that splits CCN-DP, and the blockers register of item 11.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from mapapp.clearance.blockers import Blocker, change_state, check_blocker, reschedule
from mapapp.clearance.derive import status_from_steps
from mapapp.clearance.procedure import (
    AGRICULTURAL,
    ENFORCEMENT_CONDITIONS,
    NON_AGRICULTURAL,
    NOTICE_MIN_DAYS,
    PAYMENT_DAYS,
    Document,
    Step,
    StepRecord,
    check_steps,
    late_interest,
)

from .common import AS_OF, BQL, CLEARANCE_LEADER, SEED, vnd
from .parcels import household_name

#: The clearance register opened (illustrative): KCN Đông Phú was only proposed in 2018.
REGISTER_OPENED = {"KCN-SH": date(2016, 1, 7), "KCN-TPT": date(2016, 1, 7), "CCN-DP": date(2016, 1, 7),
                   "KCN-DP": date(2017, 6, 1)}
COMMUNE_2018 = {"KCN-SH": "xã Đông Phú", "CCN-DP": "xã Đông Phú", "KCN-DP": "xã Đông Phú",
                "KCN-TPT": "xã Tân Phú Thạnh"}
#: Days from the step before (inclusive ranges): the board's usual pace, illustrative.
GAPS = {Step.NOTICE: (7, 20), Step.INVENTORY: (20, 60), Step.PLAN_POSTED: (30, 90), Step.CONSULTATION: (30, 75),
        Step.APPRAISAL: (10, 35), Step.APPROVAL: (3, 7), Step.PUBLICATION: (2, 6)}
PAYMENT_GAP, DECISION_GAP, HANDOVER_GAP = (10, 28), (4, 9), (7, 40)
CHAIN = (Step.MEETING, Step.NOTICE, Step.INVENTORY, Step.PLAN_POSTED, Step.CONSULTATION, Step.APPRAISAL,
         Step.APPROVAL, Step.PUBLICATION)
#: How far each status goes (the last step of CHAIN done; then payment, decision, handover).
NEGOTIATING_LAST = (Step.MEETING, Step.NOTICE, Step.INVENTORY, Step.PLAN_POSTED, Step.CONSULTATION, Step.APPRAISAL)
DISPUTED_LAST = (Step.PLAN_POSTED, Step.CONSULTATION, Step.APPRAISAL, Step.APPROVAL)
DOCS = {  # step: (document type, number suffix, who signs: district / commune / body / office)
    Step.MEETING: ("Biên bản họp dân", "BB-HĐBT", "body"),
    Step.NOTICE: ("Thông báo thu hồi đất", "TB-UBND", "chair"),
    Step.PERSUASION: ("Biên bản vận động, thuyết phục", "BB-VĐ", "commune"),
    Step.COMPULSORY_INVENTORY: ("Quyết định kiểm đếm bắt buộc", "QĐ-UBND", "chair"),
    Step.INVENTORY: ("Biên bản điều tra, kiểm đếm", "BB-KĐ", "body"),
    Step.PLAN_POSTED: ("Biên bản niêm yết phương án BT, HT, TĐC", "BB-NY", "commune"),
    Step.CONSULTATION: ("Biên bản lấy ý kiến, đối thoại", "BB-ĐT", "body"),
    Step.APPRAISAL: ("Báo cáo thẩm định phương án", "BC-TNMT", "office"),
    Step.APPROVAL: ("Quyết định phê duyệt phương án BT, HT, TĐC", "QĐ-UBND", "chair"),
    Step.PUBLICATION: ("Biên bản công bố phương án", "BB-CB", "commune"),
    Step.PAYMENT: ("Biên bản chi trả tiền bồi thường", "BB-CT", "body"),
    Step.DEPOSIT: ("Giấy nộp tiền vào tài khoản tạm giữ tại Kho bạc", "GNT-KB", "body"),
    Step.DECISION: ("Quyết định thu hồi đất", "QĐ-UBND", "chair"),
    Step.ENFORCEMENT: ("Quyết định cưỡng chế thu hồi đất", "QĐ-CC", "chair"),
    Step.HANDOVER: ("Biên bản bàn giao mặt bằng", "BB-BG", "body"),
}
LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STEP_COLUMNS = ["parcel_code", "step", "date", "doc_type", "doc_number", "doc_date", "signer", "conditions", "note"]
HOUSEHOLD_COLUMNS = ["code", "name", "kind", "lookup_code", "note"]
LINK_COLUMNS = ["household_code", "parcel_code"]
PARCEL_COLUMNS = ["parcel_code", "land_kind"]
PAYMENT_COLUMNS = ["parcel_code", "household_code", "approved_vnd", "approval_date", "due_date", "paid_vnd",
                   "paid_date", "deposited_vnd", "deposit_date", "interest_vnd"]
COMPLAINT_COLUMNS = ["code", "parcel_code", "household_code", "filed", "settled", "summary"]


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _gap(rng: random.Random, span: tuple[int, int]) -> int:
    return rng.randint(*span)


class _Numbers:
    """Running document numbers per issuing body, suffix and year: ``12/QĐ-UBND`` (illustrative)."""

    def __init__(self):
        self.n: dict[tuple[str, str, int], int] = {}

    def next(self, body: str, suffix: str, year: int) -> str:
        k = (body, suffix, year)
        self.n[k] = self.n.get(k, 0) + 1
        return f"{self.n[k]}/{suffix}"


def _signer(kind: str, district: str, commune: str) -> str:
    d = district[:1].lower() + district[1:]
    return {"chair": f"Chủ tịch UBND {d}", "commune": f"UBND {commune}",
            "office": f"Phòng Tài nguyên và Môi trường {d}",
            "body": f"Hội đồng bồi thường, hỗ trợ và tái định cư {d}"}[kind]


def _schedule(rng: random.Random, parcel: dict, land_kind: str, force: dict) -> tuple[dict[Step, date], dict]:
    """The dates of one parcel's steps (and its extras: complaint, partial payment).

    ``force``: ``step`` (the last step of CHAIN to reach), ``window`` (for the last date), and
    fixed dates by step, ``last`` (the last date), ``partial``, ``complaint``.
    """
    status, code, zone = parcel["status"], parcel["code"], parcel["zone"].code
    if status == "not_started":
        return {}, {}
    off = {Step.MEETING: 0}
    for prev, step in zip(CHAIN, CHAIN[1:]):
        off[step] = off[prev] + _gap(rng, GAPS[step])
    off[Step.DECISION] = off[Step.APPROVAL] + _gap(rng, DECISION_GAP)
    short = off[Step.NOTICE] + NOTICE_MIN_DAYS[land_kind] - off[Step.DECISION]
    if short > 0:  # the notice must precede the decision by 90/180 days: a longer inventory
        for step in CHAIN[3:] + (Step.DECISION,):
            off[step] += short
    off[Step.PAYMENT] = off[Step.APPROVAL] + _gap(rng, PAYMENT_GAP)
    off[Step.HANDOVER] = max(off[Step.PAYMENT], off[Step.DECISION]) + _gap(rng, HANDOVER_GAP)
    extra: dict = {}
    paid_part = parcel["paid_vnd"] > 0 and status in ("negotiating", "disputed")
    if status == "cleared":
        last, window = Step.HANDOVER, (AS_OF - timedelta(days=700), AS_OF - timedelta(days=10))
    elif status == "compensated":
        last, window = Step.PAYMENT, (AS_OF - timedelta(days=240), AS_OF - timedelta(days=10))
    elif status == "negotiating" and paid_part:
        last, window = Step.APPROVAL, (AS_OF - timedelta(days=25), AS_OF - timedelta(days=8))
    elif status == "negotiating":
        last, window = rng.choice(NEGOTIATING_LAST), (AS_OF - timedelta(days=60), AS_OF - timedelta(days=3))
    else:
        last = Step.APPROVAL if paid_part else rng.choice(DISPUTED_LAST)
        window = (AS_OF - timedelta(days=200), AS_OF - timedelta(days=30))
    planted = {**PLANTED_DATES.get(code, {}), **force}
    last, window = planted.get("step", last), planted.get("window", window)
    end = planted.get("last") or _between(rng, *window)
    start = max(end - timedelta(days=off[last]), REGISTER_OPENED[zone] + timedelta(days=20))
    upto = CHAIN[: CHAIN.index(last) + 1] if last in CHAIN else CHAIN
    done = {s: start + timedelta(days=off[s]) for s in upto}
    if status in ("compensated", "cleared"):
        done[Step.PAYMENT] = start + timedelta(days=off[Step.PAYMENT])
        done[Step.DECISION] = start + timedelta(days=off[Step.DECISION])
        if done[Step.DECISION] > AS_OF - timedelta(days=1):
            done[Step.DECISION] = done[Step.PAYMENT]
    if status == "cleared":
        done[Step.HANDOVER] = start + timedelta(days=off[Step.HANDOVER])
    if Step.APPROVAL in done and status in ("negotiating", "disputed"):
        done[Step.PUBLICATION] = done[Step.APPROVAL] + timedelta(days=_gap(rng, GAPS[Step.PUBLICATION]))
        if done[Step.APPROVAL] + timedelta(days=off[Step.DECISION] - off[Step.APPROVAL]) < AS_OF:
            done[Step.DECISION] = done[Step.APPROVAL] + timedelta(days=off[Step.DECISION] - off[Step.APPROVAL])
    for step, when in planted.items():
        if isinstance(step, Step):
            done[step] = when
    done = {s: d for s, d in done.items() if d <= AS_OF}
    if paid_part:
        extra["partial"] = planted.get("partial") or min(AS_OF - timedelta(days=1), done[Step.APPROVAL] + timedelta(days=_gap(rng, (5, 20))))
    if status == "disputed":
        after = max(done.values())
        extra["complaint"] = planted.get("complaint") or _between(rng, after + timedelta(days=3), min(after + timedelta(days=60), AS_OF - timedelta(days=1)))
    return done, extra


#: Dates chosen by hand for the planted cases (see the module's docstring).
PLANTED_DATES: dict[str, dict] = {
    # the leased lot's parcel: approved 2018-11-05, decided 11-13, not paid: due 12-05, overdue
    "GP-TPT-23": {"step": Step.APPROVAL, "last": date(2018, 11, 5), Step.PUBLICATION: date(2018, 11, 8),
                  Step.DECISION: date(2018, 11, 14), "partial": date(2018, 11, 28)},
    # the reserved lot's parcel in the riverside strip: complaint on the price since 2018-09-20
    "GP-SH-10": {"complaint": date(2018, 9, 20)},
    # road 3B's last parcel: complaint since January 2018 (the project's report of 2018-01-22)
    "GP-CDP-08": {"last": date(2017, 12, 20), "complaint": date(2018, 1, 15)},
    # the canal strip: inventoried in November
    "GP-CDP-17": {"step": Step.INVENTORY, "last": date(2018, 11, 26)},
}


def build_records(parcels: list[dict]) -> dict:
    """All the clearance records for the parcels (with their final attributes). Returns rows per table."""
    rng = random.Random(SEED + 13)
    numbers = _Numbers()
    out = {k: [] for k in ("households", "links", "parcels", "steps", "payments", "complaints", "events")}
    names: dict[str, str] = {}
    ordered = sorted(parcels, key=lambda p: p["code"])
    special = _special_parcels(ordered)
    early = {"window": (AS_OF - timedelta(days=700), AS_OF - timedelta(days=150))}
    force = {special["compulsory"]: {"step": Step.PLAN_POSTED}, special["late_payment"]: early,
             special["enforcement"]: early, special["settled_complaint"]: early}
    previous_last: dict[str, str] = {}
    for p in ordered:
        code, zone = p["code"], p["zone"].code
        land_kind = NON_AGRICULTURAL if rng.random() < 0.15 and not p.get("canal") else AGRICULTURAL
        out["parcels"].append((code, land_kind))
        # households: placeholders; a few share two neighbouring parcels (TPT, CDP); one organisation (KDP)
        hh = [(f"{code}-H{i}", household_name(code, i, organisation=(code == special["organisation"] and i == 1)))
              for i in range(1, p["households"] + 1)]
        if zone in ("KCN-TPT", "CCN-DP") and code in special["shared"] and previous_last.get(zone):
            hh[0] = previous_last[zone]
        previous_last[zone] = hh[-1]
        for h, name in hh:
            out["links"].append((h, code))
            names.setdefault(h, name)
        done, extra = _schedule(rng, p, land_kind, force.get(code, {}))
        district, commune = p["zone"].props["district"], COMMUNE_2018.get(zone, "")
        records = _step_records(rng, p, done, land_kind, special, numbers, district, commune)
        out["steps"] += records
        complaint = None
        if p["status"] == "disputed" or code == special["settled_complaint"]:
            filed = extra.get("complaint") or done[Step.PLAN_POSTED] + timedelta(days=12)
            settled = None if p["status"] == "disputed" else done[Step.PAYMENT] + timedelta(days=20)
            complaint = (f"KN-{len(out['complaints']) + 1:02d}", code, hh[0][0], filed, settled,
                         "Khiếu nại đơn giá bồi thường đất nông nghiệp" if p["status"] == "disputed"
                         else "Khiếu nại diện tích kiểm đếm; đã giải quyết, thủ tục vẫn tiếp tục (Nghị định 102/2024/NĐ-CP, Điều 40)")
            out["complaints"].append(complaint)
        payments = _payments(p, hh, done, extra, special)
        out["payments"] += payments
        out["events"] += _events(p, records, complaint, payments)
    held = {h: sum(1 for x, _ in out["links"] if x == h) for h in names}
    out["households"] = [(h, name, "organisation" if name.startswith("Tổ chức") else "household",
                          "".join(rng.choice(LOOKUP_ALPHABET) for _ in range(8)),
                          "giữ hai thửa liền kề" if held[h] > 1 else "") for h, name in sorted(names.items())]
    _check(parcels, out)
    return out


def _special_parcels(ordered: list[dict]) -> dict:
    def first(zone: str, status: str, unpaid: bool = False) -> str:
        return next(p["code"] for p in ordered
                    if p["zone"].code == zone and p["status"] == status and not (unpaid and p["paid_vnd"]))

    tpt_cleared = [p["code"] for p in ordered if p["zone"].code == "KCN-TPT" and p["status"] == "cleared"]
    shared = {p["code"] for i, p in enumerate(ordered) if p["zone"].code in ("KCN-TPT", "CCN-DP") and i % 5 == 2}
    return {
        "compulsory": first("KCN-SH", "negotiating", unpaid=True),
        "late_payment": first("KCN-SH", "cleared"),
        "deposit": first("CCN-DP", "cleared"),
        "enforcement": tpt_cleared[0],
        "settled_complaint": tpt_cleared[1],
        "organisation": first("KCN-DP", "not_started"),
        "shared": shared,
    }


def _step_records(rng, p, done, land_kind, special, numbers, district, commune) -> list[tuple]:
    code = p["code"]
    done = dict(done)
    if code == special["compulsory"]:  # the user refused the inventory: 15 days' persuasion, then the decision
        done[Step.PERSUASION] = done[Step.NOTICE] + timedelta(days=6)
        done[Step.COMPULSORY_INVENTORY] = done[Step.PERSUASION] + timedelta(days=16)
        done[Step.INVENTORY] = max(done[Step.INVENTORY], done[Step.COMPULSORY_INVENTORY] + timedelta(days=5))
    if code == special["late_payment"]:  # paid 12 days after the 30 days of Art. 94
        done[Step.PAYMENT] = done[Step.APPROVAL] + timedelta(days=PAYMENT_DAYS + 12)
        done[Step.HANDOVER] = max(done[Step.HANDOVER], done[Step.PAYMENT] + timedelta(days=10), done[Step.DECISION] + timedelta(days=1))
    if code == special["deposit"]:  # the household refused the money: deposited
        done[Step.DEPOSIT] = done.pop(Step.PAYMENT)
    conditions = {}
    if code == special["enforcement"]:  # refused to hand over: enforced 45 days after the decision
        done[Step.ENFORCEMENT] = done[Step.DECISION] + timedelta(days=45)
        done[Step.HANDOVER] = max(done[Step.HANDOVER], done[Step.ENFORCEMENT] + timedelta(days=5), done.get(Step.PAYMENT, date.min))
        conditions[Step.ENFORCEMENT] = ",".join(sorted(ENFORCEMENT_CONDITIONS))
    rows = []
    for step, when in sorted(done.items(), key=lambda kv: (kv[1], list(Step).index(kv[0]))):
        doc_type, suffix, who = DOCS[step]
        signer = _signer(who, district, commune)
        rows.append((code, step.value, when.isoformat(), doc_type, numbers.next(signer, suffix, when.year), when.isoformat(),
                     signer, conditions.get(step, ""), ""))
    return rows


def _payments(p, hh, done, extra, special) -> list[tuple]:
    """One row per household of an approved parcel: shares of the compensation, paid or deposited."""
    if Step.APPROVAL not in done:
        return []
    approval = done[Step.APPROVAL]
    due = approval + timedelta(days=PAYMENT_DAYS)
    n = len(hh)
    share = [vnd(p["compensation_vnd"] / n)] * (n - 1)
    share.append(p["compensation_vnd"] - sum(share))
    fraction = p["paid_vnd"] / p["compensation_vnd"] if p["compensation_vnd"] else 0.0
    paid = [vnd(s * fraction) for s in share[:-1]]
    paid.append(p["paid_vnd"] - sum(paid))
    rows = []
    for (h, _), s, pd_ in zip(hh, share, paid):
        paid_on = None
        if p["status"] in ("compensated", "cleared"):
            paid_on = done.get(Step.PAYMENT) or done.get(Step.DEPOSIT)
            if p["code"] == special["late_payment"]:
                paid_on = approval + timedelta(days=PAYMENT_DAYS + 12)
        elif pd_ > 0:
            paid_on = extra["partial"]
        deposit = p["code"] == special["deposit"]
        interest = late_interest(pd_, due, paid_on) if paid_on else 0.0
        rows.append((p["code"], h, s, approval.isoformat(), due.isoformat(), 0.0 if deposit else pd_,
                     "" if deposit or not paid_on else paid_on.isoformat(), pd_ if deposit else 0.0,
                     paid_on.isoformat() if deposit and paid_on else "", interest))
    return rows


def _events(p, records, complaint, payments) -> list[tuple]:
    """The parcel's status history (the old five) derived from its records, for clearance_events.csv."""
    dates = {REGISTER_OPENED[p["zone"].code]} | {date.fromisoformat(r[2]) for r in records}
    if complaint:
        dates |= {d for d in complaint[3:5] if d}
    money = [(date.fromisoformat(r[6] or r[8]), r[5] + r[7]) for r in payments if (r[6] or r[8])]
    dates |= {d for d, _ in money}
    rows, last = [], None
    for d in sorted(dates):
        steps = [r[1] for r in records if date.fromisoformat(r[2]) <= d]
        open_complaint = bool(complaint and complaint[3] <= d and (complaint[4] is None or complaint[4] > d))
        state = (status_from_steps(steps, open_complaint), float(sum(a for when, a in money if when <= d)))
        if state != last:
            rows.append((p["code"], d.isoformat(), state[0], int(state[1])))
            last = state
    return rows


def _check(parcels: list[dict], out: dict) -> None:
    """Every parcel's steps pass the procedure's rules; its derived status is its status at AS_OF."""
    kinds = dict(out["parcels"])
    by_parcel: dict[str, list[StepRecord]] = {}
    for code, step, when, doc_type, number, doc_date, signer, conds, _ in out["steps"]:
        by_parcel.setdefault(code, []).append(StepRecord(code, Step(step), date.fromisoformat(when),
                                                         Document(doc_type, number, date.fromisoformat(doc_date), signer),
                                                         frozenset(c for c in conds.split(",") if c)))
    complaints = {c[1]: c for c in out["complaints"]}
    for p in parcels:
        recs = by_parcel.get(p["code"], [])
        check_steps(recs, kinds[p["code"]], require_documents=True)
        c = complaints.get(p["code"])
        derived = status_from_steps([r.step for r in recs if r.date <= AS_OF], bool(c and c[4] is None))
        if derived != p["status"]:
            raise AssertionError(f"{p['code']}: steps give {derived}, the parcel says {p['status']}")
        ev = [e for e in out["events"] if e[0] == p["code"]]
        if ev[-1][2] != p["status"] or ev[-1][3] != int(p["paid_vnd"]):
            raise AssertionError(f"{p['code']}: history ends at {ev[-1]}, not at {p['status']} {p['paid_vnd']}")


GPMB, INVEST, BUILD = CLEARANCE_LEADER, "Phó Trưởng ban phụ trách đầu tư", "Phó Trưởng ban phụ trách quy hoạch, xây dựng"


def build_blockers(records: dict) -> list[Blocker]:
    """The blockers register of item 11 at the end of 2018 (illustrative), checked."""
    steps = {(r[0], r[1]): date.fromisoformat(r[2]) for r in records["steps"]}
    complaint = {c[1]: c[3] for c in records["complaints"]}
    compulsory = next(r[0] for r in records["steps"] if r[1] == "compulsory_inventory")
    sh_unit = "UBND huyện Châu Thành; Hội đồng bồi thường, hỗ trợ và tái định cư huyện Châu Thành"
    tpt_unit = "Hội đồng bồi thường, hỗ trợ và tái định cư huyện Châu Thành A"
    b = [
        Blocker("VM-01", "parcel", "GP-SH-10", "Hộ dân khiếu nại đơn giá bồi thường; lô SH-H03 đã có doanh nghiệp đăng ký giữ chỗ",
                "Đối thoại, trả lời khiếu nại lần đầu về đơn giá bồi thường", date(2018, 11, 30), sh_unit, GPMB,
                complaint["GP-SH-10"], holds_up=("SH-H03",), zone_code="KCN-SH"),
        Blocker("VM-02", "parcel", "GP-CDP-08", "Thửa cuối tuyến đường 3B đang khiếu nại; nhà thầu không thi công được đoạn cuối",
                "Giải quyết dứt điểm khiếu nại, bàn giao mặt bằng đoạn cuối tuyến", date(2018, 10, 31), sh_unit, GPMB,
                complaint["GP-CDP-08"], holds_up=("PRJ-CDP-3B",), zone_code="CCN-DP"),
        Blocker("VM-03", "parcel", "GP-TPT-23", "Phương án đã phê duyệt nhưng chưa chi trả đủ; lô TPT-F05 đã cho thuê",
                "Chi trả tiền bồi thường còn lại theo phương án đã phê duyệt", date(2018, 12, 5), tpt_unit, GPMB,
                steps[("GP-TPT-23", "approval")], holds_up=("TPT-F05",), zone_code="KCN-TPT"),
        Blocker("VM-04", "enterprise", "TPT-F05", "Doanh nghiệp đã thuê lô TPT-F05 nhưng chưa nhận được mặt bằng",
                "Làm việc với doanh nghiệp, thống nhất thời hạn bàn giao mặt bằng", date(2018, 12, 15),
                f"{BQL} – Phòng Quản lý doanh nghiệp", INVEST, date(2018, 11, 20), holds_up=("TPT-F05",), zone_code="KCN-TPT"),
        Blocker("VM-05", "parcel", "GP-TPT-20", "Thửa cuối tuyến đường số 1 đang thương lượng bồi thường",
                "Hoàn thành kiểm đếm, lập và niêm yết phương án bồi thường", date(2019, 2, 28), tpt_unit, GPMB,
                date(2018, 10, 8), holds_up=("PRJ-TPT-R1",), zone_code="KCN-TPT"),
        Blocker("VM-06", "parcel", "GP-CDP-17", "Kênh thủy lợi chưa thu hồi chia cắt mặt bằng cụm công nghiệp làm hai khối",
                "Phối hợp Sở Nông nghiệp và PTNT lập phương án hoàn trả kênh; thu hồi dải đất dọc kênh", date(2019, 3, 31),
                "Sở Nông nghiệp và Phát triển nông thôn; UBND huyện Châu Thành", GPMB, date(2018, 11, 26), zone_code="CCN-DP"),
        Blocker("VM-07", "household", f"{compulsory}-H1", "Hộ không đồng ý cho điều tra, kiểm đếm",
                "Vận động 15 ngày; trình quyết định kiểm đếm bắt buộc", steps[(compulsory, "persuasion")] + timedelta(days=30),
                sh_unit, GPMB, steps[(compulsory, "persuasion")], zone_code="KCN-SH"),
        Blocker("VM-08", "project", "PRJ-SH-WWTP", "Thiết bị nhập khẩu của trạm xử lý nước thải về chậm",
                "Đôn đốc nhà thầu, điều chỉnh tiến độ lắp đặt thiết bị", date(2018, 12, 20),
                f"{BQL} – Ban Quản lý dự án", BUILD, date(2018, 9, 24), holds_up=("PRJ-SH-WWTP",), zone_code="KCN-SH"),
    ]
    history = {
        "VM-01": [(complaint["GP-SH-10"] + timedelta(days=7), "state", "in_progress", "Đã tổ chức đối thoại lần 1", GPMB)],
        "VM-02": [(date(2018, 2, 5), "state", "in_progress", "Tiếp nhận, giao xác minh khiếu nại", GPMB),
                  (date(2018, 10, 29), "deadline", "2019-01-31", "Chờ kết quả đo đạc lại ranh thửa", GPMB)],
        "VM-07": [(steps[(compulsory, "persuasion")] + timedelta(days=1), "state", "in_progress", "Bắt đầu vận động", GPMB),
                  (steps[(compulsory, "inventory")], "state", "resolved", "Đã kiểm đếm theo quyết định kiểm đếm bắt buộc", GPMB)],
    }
    out = []
    for blocker in b:
        for on, field, value, note, by in history.get(blocker.code, []):
            if field == "state":
                blocker = change_state(blocker, value, on, by, note)
            else:
                blocker = reschedule(blocker, date.fromisoformat(value), on, by, note)
        out.append(check_blocker(blocker))
    return out


def blockers_json(blockers: list[Blocker]) -> list[dict]:
    """The register as JSON rows (ISO dates)."""
    return [{"code": b.code, "kind": b.kind, "subject": b.subject, "zone_code": b.zone_code, "problem": b.problem,
             "task": b.task, "deadline": b.deadline.isoformat(), "unit": b.unit, "leader": b.leader,
             "opened": b.opened.isoformat(), "state": b.state, "holds_up": list(b.holds_up),
             "history": [{"on": c.on.isoformat(), "field": c.field, "value": c.value, "previous": c.previous,
                          "note": c.note, "by": c.by} for c in b.history]} for b in blockers]
