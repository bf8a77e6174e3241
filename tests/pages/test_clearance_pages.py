"""The clearance pages of issue 13 on the sample: late list, blocker, a parcel's procedure, matrix, household lookup."""
from __future__ import annotations

import re
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook

from mapapp import create_app
from mapapp.auth.accounts import add_user
from mapapp.sources.sample import load_sample, sample_clearance_records
from mapapp.store.backend import Store
from tests.conftest import PASSWORD, sign_in
from tests.pages.language_check import foreign_in, visible_text

STAFF_PAGES = ["/clearance/late", "/clearance/blockers/VM-02", "/clearance/parcels/GP-TPT-23",
               "/clearance/matrix?subject=KCN-TPT", "/household", "/projects/PRJ-CDP-3B"]


@pytest.fixture
def public_client(tmp_path):
    """The sample in a fresh store and a client of the public (no one signed in)."""
    store = Store(f"sqlite:///{tmp_path / 'sample.sqlite'}")
    store.init_schema()
    load_sample(store)
    return create_app({"database": store.url}).test_client(), store


@pytest.fixture
def sample_client(public_client):
    client, store = public_client
    add_user(store, "leader1", "leader", PASSWORD)
    sign_in(client, "leader1")
    return client, store


def form_token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html(client, path)).group(1)


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def form_fields(page: str) -> dict[str, str]:
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "version": re.search(r'name="version" value="(\d+)"', page).group(1)}


def test_the_late_list_links_steps_to_parcels_and_tasks_to_blockers(sample_client):
    client, _ = sample_client
    page = html(client, "/clearance/late?lang=en")
    assert "On 2018-12-31 — late items: 25" in page
    rows = re.findall(r'<tr class="late-(step|task)" data-code="([^"]+)">', page)
    assert len(rows) == 25 and ("step", "GP-TPT-23") in rows and ("task", "VM-08") in rows
    assert rows[0] == ("step", "GP-CDP-08")  # the most late first (346 days)
    first = re.search(r'<tr class="late-step" data-code="GP-CDP-08">(.*?)</tr>', page, re.S).group(1)
    assert "<td>Compensation paid</td><td>2018-01-19</td><td class=\"num\">346</td>" in first
    assert 'href="/clearance/parcels/GP-TPT-23?lang=en"' in page and 'href="/clearance/blockers/VM-08?lang=en"' in page
    earlier = html(client, "/clearance/late?at=2018-06-30&lang=en")
    assert "On 2018-06-30" in earlier and 'data-code="GP-TPT-23"' not in earlier.split("<h2>")[0]


def test_a_blocker_shows_its_task_deadline_leader_and_parcels(sample_client):
    client, _ = sample_client
    page = html(client, "/clearance/blockers/VM-03")
    assert "Phó Trưởng ban phụ trách GPMB" in page and "05/12/2018" in page and "Quá hạn" in page
    assert re.search(r'<tr data-code="GP-TPT-23" class="overdue">', page)
    assert 'href="/?show=clearance:GP-TPT-23&amp;lang=vi"' in page
    assert client.get("/clearance/blockers/NOPE").status_code == 404


def test_a_blocker_state_is_changed_through_its_form(sample_client):
    client, store = sample_client
    page = html(client, "/clearance/blockers/VM-03")
    response = client.post("/clearance/blockers/VM-03/state", data={**form_fields(page), "state": "in_progress", "note": "Đã mời hộ làm việc"})
    assert response.status_code == 303
    stored, version = store.blockers("VM-03")[0]
    assert (stored.state, version) == ("in_progress", 2)
    stale = client.post("/clearance/blockers/VM-03/state", data={**form_fields(page), "state": "resolved"})
    assert stale.status_code == 412 and store.blockers("VM-03")[0][0].state == "in_progress"


def test_recording_a_step_with_its_document_from_the_parcel_page(sample_client):
    client, store = sample_client
    page = html(client, "/clearance/parcels/GP-TPT-23")
    assert '<option value="payment" selected>' in page  # the step due is offered first
    assert "UBND huyện Châu Thành" in page  # the 2018 authority of the decision, named for the district
    fields = form_fields(page)
    refused = client.post("/clearance/parcels/GP-TPT-23/steps", data={**fields, "step": "handover", "date": "2018-12-20",
                                                                       "doc_type": "Biên bản bàn giao", "doc_number": "5/BB"})
    assert refused.status_code == 400 and "cần thực hiện trước: Chi trả bồi thường (payment) hoặc" in refused.get_data(as_text=True)
    saved = client.post("/clearance/parcels/GP-TPT-23/steps", data={**fields, "step": "payment", "date": "2018-12-20",
                                                                     "doc_type": "Biên bản chi trả", "doc_number": "31/BB-CT"})
    assert saved.status_code == 303
    after = html(client, saved.headers["Location"])
    assert "Đã ghi nhận bước “Chi trả bồi thường”." in after and "31/BB-CT" in after
    assert '<dd class="parcel-status">Đã bồi thường</dd>' in after
    no_token = client.post("/clearance/parcels/GP-TPT-23/steps", data={"step": "decision", "date": "2018-12-21"})
    assert no_token.status_code in (400, 403)
    assert len(store.clearance_records(["GP-TPT-23"])["steps"]) == 10


def test_the_matrix_page_and_its_excel_file(sample_client):
    client, _ = sample_client
    page = html(client, "/clearance/matrix?subject=KCN-TPT")
    row = re.search(r'<tr data-code="GP-TPT-23-H1">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="cell-(\w+)"[^>]*>([^<]*)</td>', row)
    assert cells[0] == ("done", "03/03/2018") and cells[8] == ("overdue", "05/12/2018") and cells[10] == ("none", "")
    overdue = html(client, "/clearance/matrix?subject=KCN-TPT&state=overdue")
    codes = re.findall(r'<tr data-code="([^"]+)">', overdue)
    assert "GP-TPT-23-H1" in codes and len(codes) < len(re.findall(r'<tr data-code="([^"]+)">', page))
    xlsx = client.get("/clearance/matrix.xlsx?subject=KCN-TPT")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "ma-tran-gpmb-KCN-TPT-2018-12-31.xlsx" in xlsx.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(xlsx.data))
    ws = wb["Ma trận GPMB"]
    found = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "GP-TPT-23-H1")
    assert ws.cell(found, 12).value == "05/12/2018" and ws.cell(found, 12).fill.start_color.rgb.endswith("FFC7CE")
    assert ws.max_row - 1 == len(re.findall(r'<tr data-code="([^"]+)">', page))
    assert wb["Chú giải"]["A1"].value == "KCN Tân Phú Thạnh (KCN-TPT)"
    assert client.get("/clearance/matrix?subject=NOPE").status_code == 404


def shared_household():
    """A sample household holding two parcels, one of them shared with other households."""
    records = sample_clearance_records()
    hh = records["households"]
    shared = hh[hh["note"] != ""].iloc[0]
    links = records["household_parcels"]
    mine = sorted(links.loc[links["household_code"] == shared["code"], "parcel_code"])
    others = set(links.loc[links["parcel_code"].isin(mine) & (links["household_code"] != shared["code"]), "household_code"])
    assert len(mine) == 2 and others  # someone else holds one of its parcels
    return shared, mine, others


def test_a_household_looks_up_only_its_own_file(public_client):
    client, store = public_client
    shared, mine, others = shared_household()
    token = form_token(client, "/household")
    found = client.post("/household", data={"csrf_token": token, "lookup_code": shared["lookup_code"].lower()}).get_data(as_text=True)
    assert f'<span translate="no">{shared["name"]}</span> ({shared["code"]})' in found and ", ".join(mine) in found
    names = pd.Series(store.clearance_records()["households"].set_index("code")["name"])
    assert not any(names[o] in found or o in found for o in others)
    nothing = client.post("/household", data={"csrf_token": token, "lookup_code": "NOPE1234"}).get_data(as_text=True)
    assert "Không tìm thấy hồ sơ với mã này." in nothing and "Hộ gia đình GP-" not in nothing


def test_guessing_lookup_codes_is_stopped_and_a_right_code_still_works_before(public_client):
    from mapapp.pages.clearance_pages import LOOKUP_LIMIT

    client, store = public_client
    shared, _, _ = shared_household()
    token = form_token(client, "/household")
    allowed = int(LOOKUP_LIMIT.split()[0])
    for i in range(allowed - 1):
        assert client.post("/household", data={"csrf_token": token, "lookup_code": f"GUESS{i:04d}"}).status_code == 404
    # a right code does not count: the household itself is never locked out by its own look-ups
    assert client.post("/household", data={"csrf_token": token, "lookup_code": shared["lookup_code"]}).status_code == 200
    assert client.post("/household", data={"csrf_token": token, "lookup_code": "GUESSLAST"}).status_code == 404
    locked = client.post("/household", data={"csrf_token": token, "lookup_code": shared["lookup_code"]})
    assert locked.status_code == 429
    assert "Đã nhập sai mã tra cứu quá nhiều lần" in locked.get_data(as_text=True)
    assert shared["name"] not in locked.get_data(as_text=True)


def test_the_public_is_sent_to_sign_in(public_client):
    client, store = public_client
    assert client.get("/clearance/late").status_code == 302
    assert client.post("/clearance/parcels/GP-TPT-23/steps", data={"step": "payment"}).status_code in (400, 401, 403)
    assert len(store.clearance_records(["GP-TPT-23"])["steps"]) == 9


def test_a_project_shows_the_blockers_holding_it_up_and_the_dashboard_counts_what_is_late(public_client):
    client, store = public_client
    # VM-02: the disputed parcel GP-CDP-08 at the end of road 3B; its deadline moved to 2019-01-31 on 2018-10-29
    blockers = client.get("/api/projects/PRJ-CDP-3B").get_json()["blockers"]
    assert [(b["code"], b["deadline"], b["state"], b["overdue"]) for b in blockers] == [("VM-02", "2019-01-31", "in_progress", False)]
    before_move = client.get("/api/projects/PRJ-CDP-3B?at=2018-10-15").get_json()["blockers"]
    assert [(b["deadline"], b["overdue"]) for b in before_move] == [("2018-10-31", False)]
    page = html(client, "/projects/PRJ-CDP-3B")
    assert '<tr data-code="VM-02">' in page and 'href="/clearance/blockers/VM-02' not in page  # the public sees no staff link
    dashboard = html(client, "/dashboard")
    assert re.search(r'<p class="late-summary" data-steps="21" data-tasks="4">', dashboard)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_clearance_pages_speak_one_language(sample_client, lang):
    client, _ = sample_client
    for path in STAFF_PAGES:
        page = html(client, path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert f'<html lang="{lang}">' in page
        assert foreign_in(visible_text(page), lang) == [], path


def test_unit_names_in_english_word_order():
    from mapapp.clearance.units import english_name

    assert english_name("Huyện Châu Thành") == "Châu Thành district"
    assert english_name("Thành phố Cần Thơ") == "Cần Thơ city" and english_name("Thị xã Long Mỹ") == "Long Mỹ town"
    assert english_name("Xã Đông Phước") == "Đông Phước commune" and english_name("Cần Thơ") == "Cần Thơ"
