/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_BUY_CREDITS_DIALOG (epsimo_buy_credits_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoBuyCreditsDialog, epsimo_buy_credits_dialog,
                      EPSIMO, BUY_CREDITS_DIALOG, AdwWindow)

/* The modal Buy Credits dialog: packages of 100, 500 (most popular) and 1000 threads or a
 * custom quantity, with the price per thread and the total in the user's locale. Continue
 * opens a payment session (EpsimoCreditsService) and its https page in the browser
 * (gtk_show_uri_full: the OpenURI portal inside Flatpak); any other address is refused.
 * The dialog then waits, polling the balance every "poll-interval" ms for "poll-duration"
 * ms and whenever it becomes active again, and shows success with the new balance once
 * thread_max rises (then refreshes EpsimoSession:balance). Cancel stops waiting. Errors
 * show in place: a refused quantity under the packages, anything else in a banner.
 *
 * Properties: "session" (EpsimoSession; changing it starts over), "poll-interval" (guint,
 * ms, default 5000), "poll-duration" (guint, ms, default 600000). Escape closes it. */

GtkWidget     *epsimo_buy_credits_dialog_new               (EpsimoSession          *session);
EpsimoSession *epsimo_buy_credits_dialog_get_session       (EpsimoBuyCreditsDialog *self);
void           epsimo_buy_credits_dialog_set_session       (EpsimoBuyCreditsDialog *self,
                                                            EpsimoSession          *session);
guint          epsimo_buy_credits_dialog_get_poll_interval (EpsimoBuyCreditsDialog *self);
void           epsimo_buy_credits_dialog_set_poll_interval (EpsimoBuyCreditsDialog *self,
                                                            guint                   interval_ms);
guint          epsimo_buy_credits_dialog_get_poll_duration (EpsimoBuyCreditsDialog *self);
void           epsimo_buy_credits_dialog_set_poll_duration (EpsimoBuyCreditsDialog *self,
                                                            guint                   duration_ms);

/**
 * epsimo_credits_show_buy_dialog:
 * @parent: a widget of the window the dialog belongs to (or the window)
 * @session: the signed-in account
 *
 * What "win.buy-credits" does (the header pill, the account menu and the chat's
 * out-of-threads notice all activate it): presents the window's Buy Credits dialog,
 * creating it modal and transient for @parent's window if it is not open yet (an open
 * one is reused, switched to @session).
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget     *epsimo_credits_show_buy_dialog              (GtkWidget              *parent,
                                                            EpsimoSession          *session);

G_END_DECLS
