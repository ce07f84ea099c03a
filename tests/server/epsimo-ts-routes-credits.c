/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <math.h>

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"

#define MAX_QUANTITY 100000

void
epsimo_ts_route_balance (EpsimoTsRequest *req)
{
  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_balance (req->user));
}

/* Price per thread in euro cents: the tiers of reference.md. */
static gint64
unit_price_cents (gint64 quantity)
{
  if (quantity >= 1000)
    return 8;
  if (quantity >= 500)
    return 9;
  return 10;
}

static void
checkout (EpsimoTsRequest *req,
          const char      *amount_member)
{
  JsonObject *body = epsimo_ts_request_body (req);
  EpsimoTsCheckout *session;
  JsonObject *obj;
  g_autofree char *url = NULL;
  gint64 quantity;
  gint64 expected;
  double amount;

  if (body == NULL)
    return;

  if (!epsimo_ts_node_get_int (json_object_get_member (body, "quantity"), &quantity) ||
      quantity < 1 || quantity > MAX_QUANTITY)
    {
      epsimo_ts_request_error (req, 422, "'quantity' must be a whole number from 1 to 100000",
                               "quantity", NULL);
      return;
    }

  expected = quantity * unit_price_cents (quantity);
  if (!epsimo_ts_node_get_number (json_object_get_member (body, amount_member), &amount) ||
      llround (amount * 100.0) != expected)
    {
      g_autofree char *detail = g_strdup_printf ("'%s' must be %" G_GINT64_FORMAT ".%02d EUR "
                                                 "for %" G_GINT64_FORMAT " threads",
                                                 amount_member, expected / 100,
                                                 (int) (expected % 100), quantity);

      epsimo_ts_request_error (req, 422, detail, amount_member, NULL);
      return;
    }

  session = epsimo_ts_store_add_checkout (req->srv->store, req->user, quantity, expected);
  url = g_strconcat ("https://checkout.stripe.com/c/pay/", session->session_id, NULL);

  obj = json_object_new ();
  json_object_set_string_member (obj, "url", url);
  json_object_set_string_member (obj, "session_id", session->session_id);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_checkout_reference (EpsimoTsRequest *req)
{
  checkout (req, "amount");
}

void
epsimo_ts_route_checkout_live (EpsimoTsRequest *req)
{
  checkout (req, "total_amount");
}
