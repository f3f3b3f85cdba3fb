"""salesdash entry point: page config, the publication this run reads, language switch, navigation,
filter bar — nothing else."""

from pathlib import Path

import streamlit as st

from salesdash import ui

PAGES_DIR = Path(__file__).parent / "app_pages"

# Sections of the navigation and their pages, in order; each page is app_pages/<name>.py. The first
# page is the landing page (served at the site's root).
SECTIONS = {
    "nav.section.sales": ("overview", "explore", "team"),
    "nav.section.pipeline": ("funnel", "customers"),
    "nav.section.plan": ("executive", "targets", "forecast"),
    "nav.section.data": ("data",),
}
ICONS = {
    "overview": ":material/dashboard:",
    "explore": ":material/travel_explore:",
    "team": ":material/groups:",
    "funnel": ":material/filter_alt:",
    "customers": ":material/person_search:",
    "executive": ":material/flag:",
    "targets": ":material/track_changes:",
    "forecast": ":material/trending_up:",
    "data": ":material/upload_file:",
}

st.set_page_config(page_title="salesdash", page_icon=":material/insights:", layout="wide")
# What another writer did (a load holding the store, a write conflict) is one line, not a traceback.
with ui.one_line_errors():
    ui.begin_run()
    ui.language_switch()
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
            for section, names in SECTIONS.items()
        }
    )
    ui.filter_bar()
    ui.demo_banner()
    ui.freshness_line()
    navigation.run()
