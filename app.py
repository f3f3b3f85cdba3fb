"""salesdash entry point: page config, language switch, sign-in (who uses this run, and the
publication it reads), navigation of the pages their role may open, filter bar — nothing else."""

from pathlib import Path

import streamlit as st

from salesdash import ui

PAGES_DIR = Path(__file__).parent / "app_pages"

# Sections of the navigation and their pages, in order; each page is app_pages/<name>.py. The first
# page is the landing page (served at the site's root).
SECTIONS = {
    "nav.section.sales": ("overview", "watch", "explore", "team"),
    "nav.section.pipeline": ("funnel", "customers"),
    "nav.section.plan": ("executive", "targets", "forecast"),
    "nav.section.data": ("data", "admin"),
}
# Pages only some roles may open (salesdash/access.py ALLOWED_ROLES); the others are for all.
PAGE_ACTIONS = {"data": "see_loads", "admin": "manage_access", "executive": "see_executive"}
ICONS = {
    "overview": ":material/dashboard:",
    "watch": ":material/notifications_active:",
    "explore": ":material/travel_explore:",
    "team": ":material/groups:",
    "funnel": ":material/filter_alt:",
    "customers": ":material/person_search:",
    "executive": ":material/flag:",
    "targets": ":material/track_changes:",
    "forecast": ":material/trending_up:",
    "data": ":material/upload_file:",
    "admin": ":material/admin_panel_settings:",
}

st.set_page_config(page_title="salesdash", page_icon=":material/insights:", layout="wide")
# What another writer did (a load holding the store, a write conflict) is one line, not a traceback.
with ui.one_line_errors():
    ui.language_switch()
    user = ui.sign_in()  # who uses this run (or a page saying why not, and the run stops)
    ui.account_box()
    allowed = {
        section: [n for n in names if n not in PAGE_ACTIONS or user.may(PAGE_ACTIONS[n])]
        for section, names in SECTIONS.items()
    }
    navigation = st.navigation(
        {
            ui.t(section): [
                st.Page(
                    PAGES_DIR / f"{name}.py",
                    title=ui.t(f"nav.{name}"),
                    icon=ICONS[name],
                    url_path=name,
                )
                for name in names
            ]
            for section, names in allowed.items()
            if names
        }
    )
    ui.filter_bar()
    ui.demo_banner()
    ui.scope_notice()
    ui.freshness_line()
    navigation.run()
