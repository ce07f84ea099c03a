/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"

#define MIN_PASSWORD 8

static gboolean
email_is_valid (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && strchr (at + 1, '@') == NULL &&
         at[1] != '\0' && strchr (at + 1, '.') != NULL &&
         strpbrk (email, " \t\r\n") == NULL;
}

/* "a+verify@x.test" signs up without a token and must be verified first. */
static gboolean
needs_verification (const char *email)
{
  const char *at = strchr (email, '@');
  g_autofree char *local = g_strndup (email, at - email);

  return g_str_has_suffix (local, "+verify");
}

static void
answer_token (EpsimoTsRequest *req,
              EpsimoTsUser    *user,
              gboolean         signup)
{
  g_autofree char *token = epsimo_ts_tokens_issue (req->srv->tokens, user->user_id, NULL);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "access_token", token);
  if (!signup)
    {
      json_object_set_string_member (obj, "token", token);
      json_object_set_string_member (obj, "jwt_token", token);
    }
  json_object_set_string_member (obj, "token_type", "Bearer");
  json_object_set_int_member (obj, "expires_in", epsimo_ts_tokens_get_ttl (req->srv->tokens));
  if (signup)
    {
      JsonObject *info = json_object_new ();

      json_object_set_string_member (info, "email", user->email);
      json_object_set_string_member (info, "user_id", user->user_id);
      json_object_set_object_member (obj, "user", info);
    }

  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_signup (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  const char *email;
  const char *password;
  const char *name;
  EpsimoTsUser *user;

  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "email", TRUE, &email) ||
      !epsimo_ts_request_string (req, body, "password", TRUE, &password) ||
      !epsimo_ts_request_string (req, body, "name", FALSE, &name))
    return;

  if (!email_is_valid (email))
    {
      epsimo_ts_request_error (req, 422, "Enter a valid e-mail address", "email", NULL);
      return;
    }
  if (g_utf8_strlen (password, -1) < MIN_PASSWORD)
    {
      epsimo_ts_request_error (req, 422, "The password must have at least 8 characters",
                               "password", NULL);
      return;
    }
  if (epsimo_ts_store_find_user_by_email (req->srv->store, email) != NULL)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 409, "Conflict",
                                           "An account with this e-mail already exists",
                                           "email", "EMAIL_EXISTS");
      return;
    }

  user = epsimo_ts_store_add_user (req->srv->store, email, password, name);
  if (needs_verification (user->email))
    {
      JsonObject *obj = json_object_new ();

      user->verified = FALSE;
      json_object_set_string_member (obj, "message",
                                     "Account created. Check your e-mail to verify your "
                                     "account before logging in.");
      epsimo_ts_http_respond_object (req->msg, 200, obj);
      return;
    }

  answer_token (req, user, TRUE);
}

void
epsimo_ts_route_login (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  const char *email;
  const char *password;
  EpsimoTsUser *user;

  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "email", TRUE, &email) ||
      !epsimo_ts_request_string (req, body, "password", TRUE, &password))
    return;

  user = epsimo_ts_store_find_user_by_email (req->srv->store, email);
  if (user == NULL || !epsimo_ts_user_check_password (user, password))
    {
      epsimo_ts_http_respond_error_titled (req->msg, 401, "Invalid credentials",
                                           "Email or password is incorrect", NULL, NULL);
      return;
    }
  if (!user->verified)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 403, "Email not verified",
                                           "Verify your e-mail address before signing in.",
                                           NULL, "EMAIL_NOT_VERIFIED");
      return;
    }

  answer_token (req, user, FALSE);
}

void
epsimo_ts_route_thread_info (EpsimoTsRequest *req)
{
  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_user_info (req->user));
}
