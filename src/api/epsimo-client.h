/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"
#include "epsimo-request.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CLIENT (epsimo_client_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoClient, epsimo_client, EPSIMO, CLIENT, GObject)

/**
 * EpsimoCredentialsProvider:
 * @client: the client that needs to sign in again
 * @cancellable: (nullable): cancelled when the renewal is no longer wanted
 * @task: complete it with epsimo_credentials_task_return(), or with
 *   g_task_return_error() when there are no stored credentials
 * @user_data: the data given to epsimo_client_set_credentials_provider()
 *
 * Looks up the stored e-mail and password (the keyring, usually
 * asynchronously) so the client can sign in again when the user token
 * expired. The task is owned by the provider until it is completed.
 */
typedef void (*EpsimoCredentialsProvider) (EpsimoClient *client,
                                           GCancellable *cancellable,
                                           GTask        *task,
                                           gpointer      user_data);

/**
 * EpsimoProgressFunc:
 * @sent: bytes of the body written so far
 * @total: the body length, or -1 when unknown
 */
typedef void (*EpsimoProgressFunc) (goffset  sent,
                                    goffset  total,
                                    gpointer user_data);

/**
 * epsimo_credentials_task_return:
 * @task: the task given to an #EpsimoCredentialsProvider
 *
 * Completes @task with the credentials to sign in with. Both strings are
 * copied; the client wipes its copy of the password after use.
 */
void           epsimo_credentials_task_return         (GTask                     *task,
                                                       const char                *email,
                                                       const char                *password);

/**
 * epsimo_client_validate_base_url:
 * @url: (nullable): a server address as the user typed it
 *
 * Accepts https addresses, and plain http only for this computer
 * (localhost, 127.0.0.0/8, ::1). The address needs a host and must not
 * carry a user name, password, query or fragment.
 *
 * Returns: %TRUE if @url can be used; else %FALSE with an
 *   %EPSIMO_API_ERROR_INVALID_URL error whose message tells the user why
 */
gboolean       epsimo_client_validate_base_url        (const char                *url,
                                                       GError                   **error);

/**
 * epsimo_client_normalize_base_url:
 *
 * Validates @url like epsimo_client_validate_base_url() and returns its
 * canonical form: surrounding spaces and trailing slashes removed, scheme
 * and host in lower case ("https://api.example.com", "http://[::1]:8080/api").
 *
 * Returns: (transfer full) (nullable): the canonical URL, or NULL on error
 */
char          *epsimo_client_normalize_base_url       (const char                *url,
                                                       GError                   **error);

/**
 * epsimo_client_new:
 * @base_url: the server, e.g. "https://api.epsimoagents.com"
 *
 * Returns: (transfer full) (nullable): a client, or NULL when @base_url is
 *   refused (%EPSIMO_API_ERROR_INVALID_URL)
 */
EpsimoClient  *epsimo_client_new                      (const char                *base_url,
                                                       GError                   **error);

/* The canonical base URL (no trailing slash). */
const char    *epsimo_client_get_base_url             (EpsimoClient              *self);

/**
 * epsimo_client_get_dialect:
 *
 * Returns: the dialect the server was found to speak (shared by every client
 *   of the same base URL in this process), or %EPSIMO_DIALECT_UNKNOWN
 */
EpsimoDialect  epsimo_client_get_dialect              (EpsimoClient              *self);

/**
 * epsimo_client_set_dialect:
 *
 * Forces the dialect of this client (tests, or a user's choice); other
 * clients are not affected. %EPSIMO_DIALECT_UNKNOWN makes this client probe
 * again and forgets what the process learned about the base URL.
 */
void           epsimo_client_set_dialect              (EpsimoClient              *self,
                                                       EpsimoDialect              dialect);

/**
 * epsimo_client_set_user_token:
 * @token: (nullable): a user token (from the keyring), or NULL
 *
 * Sets the user token; its expiry is read from the JWT `exp` so the client
 * renews it shortly before it runs out. Project tokens obtained with an
 * earlier user token are dropped.
 */
void           epsimo_client_set_user_token           (EpsimoClient              *self,
                                                       const char                *token);

/**
 * epsimo_client_dup_user_token:
 *
 * Returns: (transfer full) (nullable): the user token, to store in the keyring
 */
char          *epsimo_client_dup_user_token           (EpsimoClient              *self);

/**
 * epsimo_client_set_project_token:
 * @token: (nullable): the project's token, or NULL to drop it
 *
 * Seeds the cache with a token the caller already has (project lists and
 * creation answers carry one), saving a GET /projects/{id}.
 */
void           epsimo_client_set_project_token        (EpsimoClient              *self,
                                                       const char                *project_id,
                                                       const char                *token);

/**
 * epsimo_client_dup_project_token:
 *
 * Returns: (transfer full) (nullable): the project's token the client holds, to store in
 *   the keyring, or NULL
 */
char          *epsimo_client_dup_project_token        (EpsimoClient              *self,
                                                       const char                *project_id);

/**
 * epsimo_client_forget_tokens:
 *
 * Signing out: drops the user token and every project token. A renewal in
 * progress is not applied when it finishes.
 */
void           epsimo_client_forget_tokens            (EpsimoClient              *self);

gboolean       epsimo_client_get_signed_in            (EpsimoClient              *self);

/**
 * epsimo_client_set_credentials_provider:
 * @func: (nullable): the provider, or NULL for none (no renewal)
 *
 * Lets the client sign in again by itself (POST /auth/login) when the user
 * token is about to expire or a call gets 401. Concurrent calls share one
 * renewal. #EpsimoClient::token-renewed is emitted when it succeeded.
 */
void           epsimo_client_set_credentials_provider (EpsimoClient              *self,
                                                       EpsimoCredentialsProvider  func,
                                                       gpointer                   user_data,
                                                       GDestroyNotify             destroy);

/**
 * epsimo_client_sign_in_async:
 *
 * POST /auth/login. On success the client uses the token of the answer.
 */
void           epsimo_client_sign_in_async            (EpsimoClient              *self,
                                                       const char                *email,
                                                       const char                *password,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/**
 * epsimo_client_sign_in_finish:
 *
 * Returns: (transfer full) (nullable): the login answer (the token fields
 *   included), or NULL on error
 */
JsonObject    *epsimo_client_sign_in_finish           (EpsimoClient              *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

/**
 * epsimo_client_call_async:
 * @request: the call; the client keeps a reference
 *
 * Sends @request with the token it needs (fetched or renewed first when
 * necessary), on the dialect the server speaks, retrying as the request
 * allows, and reads the JSON answer.
 */
void           epsimo_client_call_async               (EpsimoClient              *self,
                                                       EpsimoRequest             *request,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/**
 * epsimo_client_call_finish:
 * @node_out: (out) (optional) (transfer full) (nullable): the answer, or
 *   NULL when the server answered with no body (204)
 * @dialect_out: (out) (optional): the dialect of the form that was answered,
 *   so the caller parses the right shape
 *
 * Returns: %TRUE on success (even with no body); %FALSE with @error set
 *   (%EPSIMO_API_ERROR, or %G_IO_ERROR_CANCELLED)
 */
gboolean       epsimo_client_call_finish              (EpsimoClient              *self,
                                                       GAsyncResult              *result,
                                                       JsonNode                 **node_out,
                                                       EpsimoDialect             *dialect_out,
                                                       GError                   **error);

/**
 * epsimo_client_open_stream_async:
 *
 * Sends @request with `Accept: text/event-stream` and hands back the
 * response body as it arrives. A 401 is renewed and retried once; the
 * request is otherwise retried only when the server certainly did not apply
 * it. The stream is cut when the server stays silent for longer than the
 * #EpsimoClient:timeout (see there).
 */
void           epsimo_client_open_stream_async        (EpsimoClient              *self,
                                                       EpsimoRequest             *request,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/**
 * epsimo_client_open_stream_finish:
 *
 * Returns: (transfer full) (nullable): the body stream of a 2xx answer
 */
GInputStream  *epsimo_client_open_stream_finish       (EpsimoClient              *self,
                                                       GAsyncResult              *result,
                                                       EpsimoDialect             *dialect_out,
                                                       GError                   **error);

/**
 * epsimo_client_open_body_async:
 *
 * As epsimo_client_call_async() (the same tokens, retries and dialects), but
 * the body of a 2xx answer is handed back unread, as it arrives, for an
 * answer too large to hold whole (the live thread state carries the whole
 * conversation). Failures are read and reported as by a call;
 * #EpsimoClient:max-response-size does not apply to the stream.
 */
void           epsimo_client_open_body_async          (EpsimoClient              *self,
                                                       EpsimoRequest             *request,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/**
 * epsimo_client_open_body_finish:
 * @dialect_out: (out) (optional): the dialect of the form that was answered
 *
 * Returns: (transfer full) (nullable): the body stream of a 2xx answer
 */
GInputStream  *epsimo_client_open_body_finish         (EpsimoClient              *self,
                                                       GAsyncResult              *result,
                                                       EpsimoDialect             *dialect_out,
                                                       GError                   **error);

/**
 * epsimo_client_upload_async:
 * @body: the request body, read as it is sent (never held in memory whole)
 * @length: its length in bytes, or -1 (sent chunked)
 * @content_type: e.g. "multipart/form-data; boundary=..."
 * @progress: (nullable): called as the body is written
 * @progress_destroy: (nullable): frees @progress_data when done
 *
 * Sends a body stream; the JSON body of @request is ignored. Never retried:
 * the body cannot be sent twice. A token known to be expired is renewed
 * before sending. If the dialect is unknown and the request has a reference
 * form, the live path is tried first and a 404/405 falls back to the
 * reference path only when @body is seekable; a caller whose body differs
 * per dialect should learn the dialect first (any call with a reference
 * form, e.g. a listing).
 */
void           epsimo_client_upload_async             (EpsimoClient              *self,
                                                       EpsimoRequest             *request,
                                                       GInputStream              *body,
                                                       goffset                    length,
                                                       const char                *content_type,
                                                       EpsimoProgressFunc         progress,
                                                       gpointer                   progress_data,
                                                       GDestroyNotify             progress_destroy,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/* As epsimo_client_call_finish(). */
gboolean       epsimo_client_upload_finish            (EpsimoClient              *self,
                                                       GAsyncResult              *result,
                                                       JsonNode                 **node_out,
                                                       EpsimoDialect             *dialect_out,
                                                       GError                   **error);

G_END_DECLS
