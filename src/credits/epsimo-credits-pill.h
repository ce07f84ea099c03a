/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CREDITS_PILL (epsimo_credits_pill_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoCreditsPill, epsimo_credits_pill, EPSIMO, CREDITS_PILL, GtkButton)

/* The account's threads used of its maximum ("12 / 100") as a pill button for the end of
 * the content header. It gets the "warning" style class when fewer than 10 threads are
 * left or more than 90 % are used, and "error" when none is left. Its tooltip and
 * accessible label say it in words ("12 of 100 threads used").
 *
 * It follows EpsimoSession:balance, and asks the session for a fresh balance when its
 * window becomes active again (the user may have used threads elsewhere). Clicking it
 * activates "win.buy-credits". Hidden while there is no session or no balance yet.
 *
 * Property: "session" (EpsimoSession, nullable). */

GtkWidget     *epsimo_credits_pill_new         (void);
void           epsimo_credits_pill_set_session (EpsimoCreditsPill *self,
                                                EpsimoSession     *session);
EpsimoSession *epsimo_credits_pill_get_session (EpsimoCreditsPill *self);

G_END_DECLS
