"""Data: what is loaded (the upload flow arrives with the app-shell issue)."""

import pandas as pd
import streamlit as st

from salesdash import db, ingest, ui

st.title(ui.t("data.title"))
st.subheader(ui.t("data.tables"))
st.dataframe(pd.DataFrame([db.table_counts(ui.connection())]), hide_index=True)
st.subheader(ui.t("data.batches"))
st.dataframe(ingest.list_batches(ui.connection()), hide_index=True)
