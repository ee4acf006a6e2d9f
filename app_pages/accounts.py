"""Tài khoản: an administrator adds accounts, changes roles, resets passwords, disables and enables."""

import pandas as pd
import streamlit as st

from analytics.access import auth
from ui.auth import actor_name, current_account, notice_for_sign_in, require_page, settings
from ui.markup import plain
from ui.state import context, t

require_page(__file__)
ctx = context()
me = current_account()
unit_names = {u.code: u.name for u in ctx.units}


def unit_label(code: str | None) -> str:
    return f"{code} · {unit_names.get(code, '')}" if code else t("accounts.field.unit_none")


def when(value) -> str:
    return "" if pd.isna(value) else value.strftime("%d/%m/%Y %H:%M")


def flash(message: str) -> None:
    st.session_state["accounts_flash"] = message
    st.rerun()


st.title(t("accounts.title"))
st.caption(t("accounts.caption"))
if message := st.session_state.pop("accounts_flash", None):
    st.success(message, icon=":material/check_circle:")  # names escaped by flash()

frame = auth.list_accounts(ctx.db)
if frame.empty:
    st.info(t("accounts.empty"))
else:
    state = [t("auth.state.active") if r.active else t("auth.state.disabled") for r in frame.itertuples()]
    state = [
        s + (" · " + t("auth.state.locked") if not pd.isna(r.locked_until) else "")
        for s, r in zip(state, frame.itertuples())
    ]
    st.dataframe(
        pd.DataFrame(
            {
                t("accounts.col.name"): frame["name"],
                t("accounts.col.role"): [t(f"auth.role.{r}") for r in frame["role"]],
                t("accounts.col.unit"): [unit_label(c) if isinstance(c, str) else "" for c in frame["unit_code"]],
                t("accounts.col.state"): state,
                t("accounts.col.created_at"): frame["created_at"].map(when),
                t("accounts.col.last_sign_in_at"): frame["last_sign_in_at"].map(when),
            }
        ),
        hide_index=True,
        width="stretch",
    )

role_label = {role: t(f"auth.role.{role}") for role in auth.ROLES}
unit_options = [None, *unit_names]

with st.expander(t("accounts.add.title"), expanded=frame.empty, icon=":material/person_add:"):
    with st.form("accounts-add", clear_on_submit=True):
        left, right = st.columns(2)
        name = left.text_input(t("accounts.field.name"))
        role = left.selectbox(
            t("accounts.field.role"), auth.ROLES, index=2 if frame.empty else 0, format_func=role_label.get
        )
        unit = left.selectbox(t("accounts.field.unit"), unit_options, format_func=unit_label)
        password = right.text_input(t("accounts.field.password"), type="password", autocomplete="new-password")
        again = right.text_input(t("accounts.field.password_again"), type="password", autocomplete="new-password")
        added = st.form_submit_button(t("accounts.add.submit"), type="primary")
    if added:
        try:
            auth.check_password(password, settings(), again)
            account = auth.add_account(ctx.db, name, password, role, unit, ctx.units, actor_name(), settings())
        except auth.AuthError as exc:
            st.error(plain(exc))
        else:
            if frame.empty:  # the first account: from now on every page asks to sign in
                notice_for_sign_in(t("accounts.add.first_done", name=plain(account.name)))
                st.rerun()
            flash(t("accounts.add.done", name=plain(account.name)))

if not frame.empty:
    with st.expander(t("accounts.edit.title"), icon=":material/manage_accounts:"):
        chosen = st.selectbox(t("accounts.edit.pick"), frame["name"].tolist(), key="accounts-pick")
        target = auth.get_account(ctx.db, chosen)
        is_me = me is not None and target is not None and target.key == me.key
        with st.form("accounts-role"):
            new_role = st.selectbox(
                t("accounts.field.role"), auth.ROLES, index=auth.ROLES.index(target.role), format_func=role_label.get
            )
            new_unit = st.selectbox(
                t("accounts.field.unit"),
                unit_options,
                format_func=unit_label,
                index=unit_options.index(target.unit_code) if target.unit_code in unit_options else 0,
            )
            save_role = st.form_submit_button(t("accounts.edit.role_submit"))
        if save_role:
            try:
                if is_me:
                    raise auth.AuthError(t("auth.error.self"))
                auth.set_role(ctx.db, target.name, new_role, new_unit, ctx.units, actor_name())
            except auth.AuthError as exc:
                st.error(plain(exc))
            else:
                flash(t("accounts.edit.role_done", name=plain(target.name)))
        with st.form("accounts-password", clear_on_submit=True):
            password = st.text_input(t("accounts.field.password"), type="password", autocomplete="new-password")
            again = st.text_input(t("accounts.field.password_again"), type="password", autocomplete="new-password")
            reset = st.form_submit_button(t("accounts.edit.password_submit"))
        if reset:
            try:
                auth.check_password(password, settings(), again)
                auth.set_password(ctx.db, target.name, password, actor_name(), settings())
            except auth.AuthError as exc:
                st.error(plain(exc))
            else:
                flash(t("accounts.edit.password_done", name=plain(target.name)))
        label = t("accounts.edit.disable") if target.active else t("accounts.edit.enable")
        if st.button(label, key="accounts-toggle", icon=":material/block:" if target.active else ":material/check:"):
            try:
                if is_me:
                    raise auth.AuthError(t("auth.error.self"))
                auth.set_active(ctx.db, target.name, not target.active, actor_name())
            except auth.AuthError as exc:
                st.error(plain(exc))
            else:
                flash(
                    t(
                        "accounts.edit.disabled_done" if target.active else "accounts.edit.enabled_done",
                        name=plain(target.name),
                    )
                )
