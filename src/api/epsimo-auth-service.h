/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-balance.h"
#include "epsimo-client.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_AUTH_SERVICE (epsimo_auth_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAuthService, epsimo_auth_service, EPSIMO, AUTH_SERVICE, GObject)

/**
 * epsimo_auth_service_new:
 * @client: the client to sign in (a reference is kept)
 *
 * Returns: (transfer full): a service for signing up, signing in and the
 *   account's usage
 */
EpsimoAuthService *epsimo_auth_service_new (EpsimoClient *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient *epsimo_auth_service_get_client (EpsimoAuthService *self);

/**
 * epsimo_auth_service_sign_up_async:
 * @name: (nullable): the user's name
 *
 * POST /auth/signup. When the answer carries a token the client is signed
 * in with it; when it asks for the e-mail address to be confirmed first, the
 * finish function says so.
 */
void epsimo_auth_service_sign_up_async (EpsimoAuthService   *self,
                                        const char          *email,
                                        const char          *password,
                                        const char          *name,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/**
 * epsimo_auth_service_sign_up_finish:
 * @needs_verification: (out) (optional): %TRUE when the account exists but
 *   the user must confirm the address by e-mail before signing in (the
 *   client is then not signed in)
 * @message: (out) (optional) (transfer full) (nullable): the server's
 *   `message`, if any
 *
 * Returns: %TRUE when the account was created
 */
gboolean epsimo_auth_service_sign_up_finish (EpsimoAuthService  *self,
                                             GAsyncResult       *result,
                                             gboolean           *needs_verification,
                                             char              **message,
                                             GError            **error);

/**
 * epsimo_auth_service_sign_in_async:
 *
 * POST /auth/login through epsimo_client_sign_in_async(): on success the
 * client uses the new user token.
 */
void epsimo_auth_service_sign_in_async (EpsimoAuthService   *self,
                                        const char          *email,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean epsimo_auth_service_sign_in_finish (EpsimoAuthService  *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Drops every token of the client (signing out). */
void epsimo_auth_service_sign_out (EpsimoAuthService *self);

/**
 * epsimo_auth_service_get_thread_info_async:
 *
 * GET /auth/thread-info: who is signed in and the thread usage.
 */
void epsimo_auth_service_get_thread_info_async (EpsimoAuthService   *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/**
 * epsimo_auth_service_get_thread_info_finish:
 *
 * Returns: (transfer full) (nullable): the account's usage, or NULL on error
 */
EpsimoBalance *epsimo_auth_service_get_thread_info_finish (EpsimoAuthService  *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

/**
 * epsimo_auth_service_ensure_dialect_async:
 *
 * Makes sure the client knows which wire dialect its server speaks, for the
 * calls whose body differs per dialect on the same path (assistants, uploads).
 * When it is not known yet, one cheap call that exists in both dialects with
 * different paths is made (GET /tools/, falling back to GET /credits/balance,
 * with the user token). Nothing is sent when the dialect is known.
 */
void epsimo_auth_service_ensure_dialect_async (EpsimoAuthService   *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/**
 * epsimo_auth_service_ensure_dialect_finish:
 *
 * Returns: the dialect (never %EPSIMO_DIALECT_UNKNOWN on success: a server
 *   that answered neither probe is taken as reference-only), or
 *   %EPSIMO_DIALECT_UNKNOWN with @error set
 */
EpsimoDialect epsimo_auth_service_ensure_dialect_finish (EpsimoAuthService  *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

G_END_DECLS
