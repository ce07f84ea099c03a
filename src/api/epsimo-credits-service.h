/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-balance.h"
#include "epsimo-client.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CREDITS_SERVICE (epsimo_credits_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoCreditsService, epsimo_credits_service,
                      EPSIMO, CREDITS_SERVICE, GObject)

/**
 * epsimo_credits_price_for_quantity:
 * @quantity: threads to buy
 *
 * The published price (the server has the last word): 10 cents a thread
 * under 500, 9 cents from 500 to 999, 8 cents from 1000.
 *
 * Returns: the total in euro cents (0 for a quantity below 1)
 */
gint64        epsimo_credits_price_for_quantity        (gint64                quantity);

/**
 * epsimo_credits_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): the thread balance and buying threads (user token)
 */
EpsimoCreditsService *epsimo_credits_service_new       (EpsimoClient         *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient *epsimo_credits_service_get_client        (EpsimoCreditsService *self);

/* Reference GET /credits/balance; live GET /auth/thread-info. */
void          epsimo_credits_service_get_balance_async  (EpsimoCreditsService *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
/* Returns: (transfer full) (nullable) */
EpsimoBalance *epsimo_credits_service_get_balance_finish (EpsimoCreditsService *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/**
 * epsimo_credits_service_checkout_async:
 * @quantity: threads to buy (at least 1)
 *
 * Opens a payment session for @quantity threads at
 * epsimo_credits_price_for_quantity(). Reference POST /credits/checkout
 * {quantity, amount}; live POST /checkout/create-checkout-session
 * {quantity, total_amount} (amounts in euros).
 */
void          epsimo_credits_service_checkout_async    (EpsimoCreditsService *self,
                                                        gint64                quantity,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/**
 * epsimo_credits_service_checkout_finish:
 * @session_id: (out) (optional) (transfer full) (nullable): the session's id
 *
 * Returns: (transfer full) (nullable): the https address of the payment page
 *   to open in the browser; an address that is not https fails with
 *   %EPSIMO_API_ERROR_PROTOCOL
 */
char         *epsimo_credits_service_checkout_finish   (EpsimoCreditsService *self,
                                                        GAsyncResult         *result,
                                                        char                **session_id,
                                                        GError              **error);

G_END_DECLS
