/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-auth-service"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-credits-service.h"
#include "epsimo-test-harness.h"

static gboolean
sign_up (EpsimoAuthService  *auth,
         const char         *email,
         const char         *password,
         const char         *name,
         gboolean           *needs_verification,
         char              **message,
         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_auth_service_sign_up_async (auth, email, password, name, NULL,
                                     epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_auth_service_sign_up_finish (auth, result, needs_verification, message, error);
}

static gboolean
sign_in (EpsimoAuthService  *auth,
         const char         *email,
         const char         *password,
         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_auth_service_sign_in_async (auth, email, password, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_auth_service_sign_in_finish (auth, result, error);
}

static void
test_sign_up_and_in (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(EpsimoClient) client = epsimo_test_client_new (fixture->server);
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (client);
  g_autoptr(EpsimoBalance) info = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GAsyncResult *slot = NULL;
  gboolean needs_verification = TRUE;

  /* The fixture's client signed up with a token in the answer. */
  requests = epsimo_test_server_get_requests (fixture->server);
  body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST", "/auth/signup"));
  g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, fixture->account.email);
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Tester");
  g_assert_true (json_object_get_null_member (epsimo_test_find_request (requests, "POST",
                                                                        "/auth/signup"),
                                              "authorization"));
  g_clear_pointer (&requests, json_array_unref);

  /* A second client signs in with the same account. */
  g_assert_false (epsimo_client_get_signed_in (client));
  g_assert_true (sign_in (auth, fixture->account.email, fixture->account.password, &error));
  g_assert_no_error (error);
  g_assert_true (epsimo_client_get_signed_in (client));

  epsimo_auth_service_get_thread_info_async (auth, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  info = epsimo_auth_service_get_thread_info_finish (auth, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_balance_get_email (info), ==, fixture->account.email);
  g_assert_nonnull (epsimo_balance_get_user_id (info));
  g_clear_object (&result);

  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_true (g_str_has_prefix (
    json_object_get_string_member (epsimo_test_find_request (requests, "GET",
                                                             "/auth/thread-info"),
                                   "authorization"),
    "Bearer "));
  g_clear_pointer (&requests, json_array_unref);

  /* Wrong password, existing address */
  epsimo_auth_service_sign_out (auth);
  g_assert_false (epsimo_client_get_signed_in (client));
  g_assert_false (sign_in (auth, fixture->account.email, "wrong password", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "incorrect"));
  g_assert_false (epsimo_client_get_signed_in (client));
  g_clear_error (&error);

  g_assert_false (sign_up (auth, fixture->account.email, "another password", NULL,
                           &needs_verification, &message, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_CONFLICT);
  g_assert_null (message);
  g_clear_error (&error);

  /* Too short a password: the field is named. */
  g_assert_false (sign_up (auth, "new@example.test", "short", NULL, NULL, NULL, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
  g_assert_cmpstr (epsimo_api_error_get_field (error), ==, "password");
}

static void
test_sign_up_verification (EpsimoTestFixture *fixture,
                           gconstpointer      data)
{
  g_autoptr(EpsimoClient) client = epsimo_test_client_new (fixture->server);
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (client);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *message = NULL;
  gboolean needs_verification = FALSE;
  const char *email = "newcomer+verify@example.test";

  /* The server answers with a message asking to confirm, and no token. */
  g_assert_true (sign_up (auth, email, "long enough password", "Newcomer",
                          &needs_verification, &message, &error));
  g_assert_no_error (error);
  g_assert_true (needs_verification);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "verify"));
  g_assert_false (epsimo_client_get_signed_in (client));

  g_assert_false (sign_in (auth, email, "long enough password", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_FORBIDDEN);
  g_clear_error (&error);

  answer = epsimo_test_server_control (fixture->server, "POST", "verify",
                                       "{\"email\": \"newcomer+verify@example.test\"}");
  g_assert_true (sign_in (auth, email, "long enough password", &error));
  g_assert_no_error (error);
  g_assert_true (epsimo_client_get_signed_in (client));
}

/* A server of both dialects is spoken to in the live one. */
static void
test_both_picks_live (void)
{
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(EpsimoCreditsService) credits = NULL;
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  EpsimoTestFixture fixture = { 0, };

  epsimo_test_fixture_setup (&fixture, "both");
  auth = epsimo_auth_service_new (fixture.client);
  credits = epsimo_credits_service_new (fixture.client);
  g_assert_cmpint (epsimo_client_get_dialect (fixture.client), ==, EPSIMO_DIALECT_UNKNOWN);

  epsimo_auth_service_ensure_dialect_async (auth, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_cmpint (epsimo_auth_service_ensure_dialect_finish (auth, result, &error), ==,
                   EPSIMO_DIALECT_LIVE);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_client_get_dialect (fixture.client), ==, EPSIMO_DIALECT_LIVE);
  g_clear_object (&result);

  /* Known now: nothing more is sent to find out. */
  epsimo_credits_service_get_balance_async (credits, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  balance = epsimo_credits_service_get_balance_finish (credits, result, &error);
  g_assert_no_error (error);

  requests = epsimo_test_server_get_requests (fixture.server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/tools/"), ==, 1);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/credits/balance"), ==, 0);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/auth/thread-info"), ==, 1);

  g_clear_object (&auth);
  g_clear_object (&credits);
  epsimo_test_fixture_teardown (&fixture, "both");
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/auth-service/sign-up-and-in", test_sign_up_and_in);
  epsimo_test_add_both_dialects ("/auth-service/verification", test_sign_up_verification);
  g_test_add_func ("/auth-service/both-picks-live", test_both_picks_live);

  return g_test_run ();
}
