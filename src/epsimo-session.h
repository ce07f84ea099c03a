/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "api/epsimo-client.h"
#include "api/epsimo-balance.h"
#include "api/epsimo-auth-service.h"
#include "api/epsimo-projects-service.h"
#include "api/epsimo-assistants-service.h"
#include "api/epsimo-threads-service.h"
#include "api/epsimo-runs-service.h"
#include "api/epsimo-files-service.h"
#include "api/epsimo-database-service.h"
#include "api/epsimo-credits-service.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_SESSION (epsimo_session_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoSession, epsimo_session, EPSIMO, SESSION, GObject)

/* One signed-in account on one server: the client, its services and what is cached for
 * them. Signing out or switching accounts drops the whole session, so nothing of one
 * account survives into the next. */

EpsimoSession           *epsimo_session_new                (const char     *server,
                                                            GError        **error);
const char              *epsimo_session_get_server         (EpsimoSession  *self);
/* The account's e-mail address once signed in, else NULL. */
const char              *epsimo_session_get_email          (EpsimoSession  *self);
/* Whether the password and token are kept in the keyring. */
gboolean                 epsimo_session_get_remember       (EpsimoSession  *self);
/* The usage of the account (GET /auth/thread-info), or NULL before the first refresh. */
EpsimoBalance           *epsimo_session_get_balance        (EpsimoSession  *self);

EpsimoClient            *epsimo_session_get_client         (EpsimoSession  *self);
EpsimoAuthService       *epsimo_session_get_auth           (EpsimoSession  *self);
EpsimoProjectsService   *epsimo_session_get_projects       (EpsimoSession  *self);
EpsimoAssistantsService *epsimo_session_get_assistants     (EpsimoSession  *self);
EpsimoThreadsService    *epsimo_session_get_threads        (EpsimoSession  *self);
EpsimoRunsService       *epsimo_session_get_runs           (EpsimoSession  *self);
EpsimoFilesService      *epsimo_session_get_files          (EpsimoSession  *self);
EpsimoDatabaseService   *epsimo_session_get_database       (EpsimoSession  *self);
EpsimoCreditsService    *epsimo_session_get_credits        (EpsimoSession  *self);

/* Signs in with an e-mail and password; with @remember, stores both (and the token) in the
 * keyring, else forgets whatever the keyring had for this account. */
void      epsimo_session_sign_in_async   (EpsimoSession       *self,
                                          const char          *email,
                                          const char          *password,
                                          gboolean             remember,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  epsimo_session_sign_in_finish  (EpsimoSession       *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Creates the account, then signs in as epsimo_session_sign_in_async() does. When the server
 * wants the address confirmed first, returns TRUE with *@needs_verification set and is not
 * signed in. */
void      epsimo_session_sign_up_async   (EpsimoSession       *self,
                                          const char          *email,
                                          const char          *password,
                                          gboolean             remember,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  epsimo_session_sign_up_finish  (EpsimoSession       *self,
                                          GAsyncResult        *result,
                                          gboolean            *needs_verification,
                                          GError             **error);

/* The size of a conversation's first page of history: the one a resume asks for ahead. */
#define EPSIMO_SESSION_FIRST_PAGE 300

/* Signs in silently from the keyring: the stored token while it is good, else the stored
 * password. Fails with EPSIMO_API_ERROR_UNAUTHORIZED when nothing usable is stored.
 * While the token is checked, it already asks for what the window shows first: the
 * projects (see epsimo_session_list_projects_async()), the threads of @project_id (the
 * project reopened, or NULL) and the first page of @thread_id (the thread reopened in it,
 * or NULL; see epsimo_session_get_messages_async()). */
void      epsimo_session_resume_async    (EpsimoSession       *self,
                                          const char          *email,
                                          const char          *project_id,
                                          const char          *thread_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  epsimo_session_resume_finish   (EpsimoSession       *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* The account's projects, as epsimo_projects_service_list_async() gives them (a
 * GPtrArray of EpsimoProject, owned by the caller). The first call after a resume takes
 * the answer asked for while resuming, when it came back (or waits for it); every other
 * call asks the server. */
void       epsimo_session_list_projects_async  (EpsimoSession       *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *epsimo_session_list_projects_finish (EpsimoSession       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The threads of @project_id, as epsimo_threads_service_list_async() gives them (a
 * GPtrArray of EpsimoThread, owned by the caller). The first call after a resume, for the
 * project reopened, takes the answer asked for while resuming (or waits for it); every
 * other call asks the server. */
void       epsimo_session_list_threads_async   (EpsimoSession       *self,
                                                const char          *project_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *epsimo_session_list_threads_finish  (EpsimoSession       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* A page of @thread_id's history, as epsimo_threads_service_get_messages_async() gives it.
 * The first call after a resume for the thread reopened, its first page
 * (EPSIMO_SESSION_FIRST_PAGE, no @before), takes the answer asked for while resuming (or
 * waits for it); every other call asks the server. */
void       epsimo_session_get_messages_async   (EpsimoSession       *self,
                                                const char          *project_id,
                                                const char          *thread_id,
                                                guint                limit,
                                                const char          *before,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* @has_more and @n_older: as epsimo_threads_service_get_messages_finish_full() gives them. */
GPtrArray *epsimo_session_get_messages_finish  (EpsimoSession       *self,
                                                GAsyncResult        *result,
                                                gboolean            *has_more,
                                                guint               *n_older,
                                                GError             **error);

/* Fetches the account's usage again and updates EpsimoSession:balance. */
void      epsimo_session_refresh_balance (EpsimoSession       *self);

/* Forgets this account's keyring entries and every token in memory. */
void      epsimo_session_sign_out_async  (EpsimoSession       *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  epsimo_session_sign_out_finish (EpsimoSession       *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
