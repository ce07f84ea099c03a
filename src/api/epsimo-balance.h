/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_BALANCE (epsimo_balance_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoBalance, epsimo_balance, EPSIMO, BALANCE, GObject)

/* Reads GET /credits/balance {thread_counter, thread_max, threads_remaining,
 * subscription_tier} or GET /auth/thread-info {email, user_id,
 * thread_counter, thread_max, subscription_tier}. `thread_counter` and
 * `thread_max` are required. */
EpsimoBalance *epsimo_balance_new_from_json       (JsonObject     *object,
                                                   GError        **error);
/* Updates @self in place (members absent from @object keep their value, so
 * both replies can be merged), notifying what changed. */
gboolean       epsimo_balance_update_from_json    (EpsimoBalance  *self,
                                                   JsonObject     *object,
                                                   GError        **error);

gint64      epsimo_balance_get_thread_counter     (EpsimoBalance *self);
gint64      epsimo_balance_get_thread_max         (EpsimoBalance *self);
/* `threads_remaining` when sent, else max - counter; never negative. */
gint64      epsimo_balance_get_threads_remaining  (EpsimoBalance *self);
/* May be NULL. */
const char *epsimo_balance_get_subscription_tier  (EpsimoBalance *self);
/* May be NULL (only /auth/thread-info sends it). */
const char *epsimo_balance_get_email              (EpsimoBalance *self);
/* May be NULL (only /auth/thread-info sends it). */
const char *epsimo_balance_get_user_id            (EpsimoBalance *self);

G_END_DECLS
