/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-credits-service"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-credits-service.h"
#include "epsimo-test-harness.h"

static void
test_price (void)
{
  g_assert_cmpint (epsimo_credits_price_for_quantity (-5), ==, 0);
  g_assert_cmpint (epsimo_credits_price_for_quantity (0), ==, 0);
  g_assert_cmpint (epsimo_credits_price_for_quantity (1), ==, 10);
  g_assert_cmpint (epsimo_credits_price_for_quantity (100), ==, 1000);
  g_assert_cmpint (epsimo_credits_price_for_quantity (499), ==, 4990);
  g_assert_cmpint (epsimo_credits_price_for_quantity (500), ==, 4500);
  g_assert_cmpint (epsimo_credits_price_for_quantity (999), ==, 8991);
  g_assert_cmpint (epsimo_credits_price_for_quantity (1000), ==, 8000);
  g_assert_cmpint (epsimo_credits_price_for_quantity (2500), ==, 20000);
  g_assert_cmpint (epsimo_credits_price_for_quantity (G_MAXINT64), ==, G_MAXINT64);
}

static EpsimoBalance *
get_balance (EpsimoCreditsService  *service,
             GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_credits_service_get_balance_async (service, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_credits_service_get_balance_finish (service, result, error);
}

static char *
checkout (EpsimoCreditsService  *service,
          gint64                 quantity,
          char                 **session_id,
          GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_credits_service_checkout_async (service, quantity, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_credits_service_checkout_finish (service, result, session_id, error);
}

static void
test_balance (EpsimoTestFixture *fixture,
              gconstpointer      data)
{
  g_autoptr(EpsimoCreditsService) service = epsimo_credits_service_new (fixture->client);
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (fixture->client);
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quota = NULL;
  GAsyncResult *slot = NULL;

  quota = g_strdup_printf ("{\"email\": \"%s\", \"thread_counter\": 45, \"thread_max\": 100, "
                           "\"subscription_tier\": \"standard\"}", fixture->account.email);
  json_node_unref (epsimo_test_server_control (fixture->server, "POST", "quota", quota));

  balance = get_balance (service, &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_thread_counter (balance), ==, 45);
  g_assert_cmpint (epsimo_balance_get_thread_max (balance), ==, 100);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 55);
  g_assert_cmpstr (epsimo_balance_get_subscription_tier (balance), ==, "standard");
  g_clear_object (&balance);

  /* The dialect unknown, GET /auth/thread-info went out beside its probe (once). */
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/auth/thread-info"), ==, 1);
  if (epsimo_test_fixture_is_live (fixture))
    {
      /* Its answer is the balance: nothing else was asked. */
      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/credits/balance"), ==, 0);
    }
  else
    {
      /* /auth/thread-info exists in the reference too: it must not be
       * taken for proof of the live dialect, nor its answer for the balance. */
      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/credits/balance"), ==, 2);
      g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_REFERENCE);
    }

  /* The account's own view, in both dialects. */
  epsimo_auth_service_get_thread_info_async (auth, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  balance = epsimo_auth_service_get_thread_info_finish (auth, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_balance_get_email (balance), ==, fixture->account.email);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 55);
}

static gboolean
thread_info_asked (gpointer data)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (data);

  return epsimo_test_count_requests (requests, "GET", "/auth/thread-info") > 0;
}

/* The first balance of a server (dialect unknown) does not wait for the dialect's probe to
 * ask the live backend's GET /auth/thread-info: a round trip less at each start. */
static void
test_balance_asked_beside_probe (EpsimoTestFixture *fixture,
                                 gconstpointer      data)
{
  g_autoptr(EpsimoCreditsService) service = epsimo_credits_service_new (fixture->client);
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_UNKNOWN);
  epsimo_test_server_stall (fixture->server, "GET", "/tools/", 1);
  epsimo_credits_service_get_balance_async (service, NULL, epsimo_test_async_cb, &slot);
  epsimo_test_wait_for (thread_info_asked, fixture->server);

  /* The probe released (a 503, retried): the balance is the early answer. */
  epsimo_test_server_reset (fixture->server);
  result = epsimo_test_await (&slot);
  balance = epsimo_credits_service_get_balance_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);
  g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_LIVE);
}

static void
test_checkout (EpsimoTestFixture *fixture,
               gconstpointer      data)
{
  g_autoptr(EpsimoCreditsService) service = epsimo_credits_service_new (fixture->client);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *session_id = NULL;
  const char *path;
  JsonObject *session;

  url = checkout (service, 1000, &session_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://"));
  g_assert_nonnull (session_id);
  g_assert_true (g_str_has_suffix (url, session_id));

  path = epsimo_test_fixture_is_live (fixture) ? "/checkout/create-checkout-session"
                                               : "/credits/checkout";
  requests = epsimo_test_server_get_requests (fixture->server);
  body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST", path));
  g_assert_nonnull (body);
  g_assert_cmpint (json_object_get_int_member (body, "quantity"), ==, 1000);
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (body, epsimo_test_fixture_is_live (fixture) ? "total_amount"
                                                                              : "amount"),
    80.0, 1e-9);

  state = epsimo_test_server_get_state (fixture->server);
  session = json_array_get_object_element (json_object_get_array_member (state, "checkouts"), 0);
  g_assert_cmpstr (json_object_get_string_member (session, "session_id"), ==, session_id);
  g_assert_cmpstr (json_object_get_string_member (session, "amount_text"), ==, "80.00");
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&session_id, g_free);

  /* 499 threads at 10 cents: 49.90 */
  url = checkout (service, 499, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&url, g_free);

  /* A payment page that is not https is never handed out. */
  epsimo_test_server_fail (fixture->server, "POST", path, 200, 1,
                           "{\"url\": \"http://checkout.example.test/pay\", "
                           "\"session_id\": \"x\"}");
  url = checkout (service, 10, &session_id, &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "not a secure address"));
  g_assert_null (url);
  g_assert_null (session_id);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  g_test_add_func ("/credits-service/price", test_price);
  epsimo_test_add_both_dialects ("/credits-service/balance", test_balance);
  g_test_add ("/credits-service/balance-asked-beside-probe", EpsimoTestFixture, "live",
              epsimo_test_fixture_setup, test_balance_asked_beside_probe,
              epsimo_test_fixture_teardown);
  epsimo_test_add_both_dialects ("/credits-service/checkout", test_checkout);

  return g_test_run ();
}
