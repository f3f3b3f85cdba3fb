def test_app_starts_on_the_demo_data_with_the_freshness_line(app):
    at = app.run()
    assert not at.exception
    assert any("15 Nov 2026" in c.value for c in at.caption)


def test_app_renders_in_chinese(app):
    at = app
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert any("数据截至" in c.value for c in at.caption)


def test_the_filters_survive_a_rerun_and_land_in_the_url(app):
    at = app.run()
    at.sidebar.selectbox(key="f_period").set_value("ytd").run()
    at.run()
    assert at.query_params["period"] == "ytd"
    assert at.sidebar.selectbox(key="f_period").value == "ytd"


def test_a_copied_url_reproduces_the_filters(app):
    at = app
    at.query_params.update(
        {"period": "custom", "from": "2025-03-01", "to": "2025-03-31", "region": "East"}
    )
    at.run()
    assert not at.exception
    scope = at.session_state["_scope"]
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "2025-03-01",
        "2025-03-31",
    )
    assert scope.regions == ("East",)
