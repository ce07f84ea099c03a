/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-account-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "epsimo-account-store.h"

#include <string.h>

#define KIND_PASSWORD "password"
#define KIND_TOKEN "token"
#define KIND_PROJECT_TOKEN "project-token"

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "com.epsimoagents.Desktop.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* "password", "token" or "project-token": one schema, three kinds of entry. */
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "expires", SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* A project token's project. */
      { "project", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

EpsimoAccountId *
epsimo_account_id_new (const char *server,
                       const char *email)
{
  EpsimoAccountId *id = g_new0 (EpsimoAccountId, 1);

  id->server = g_strdup (server);
  id->email = g_strdup (email);
  return id;
}

void
epsimo_account_id_free (EpsimoAccountId *id)
{
  if (id == NULL)
    return;
  g_free (id->server);
  g_free (id->email);
  g_free (id);
}

static GHashTable *
attributes_for (const char *server,
                const char *email,
                const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "server", g_strdup (server));
  g_hash_table_insert (attributes, "email", g_strdup (email));
  if (kind != NULL)
    g_hash_table_insert (attributes, "kind", g_strdup (kind));
  return attributes;
}

/* ---- one keyring operation at a time --------------------------------------------------- */

/* libsecret 0.20 can complete a task twice when two operations delete the same items at
 * once (signing out of one session while another signs in as the same account). Running
 * the account's keyring operations one after the other rules that out, and keeps their
 * order: a token saved before a sign-out never lands after it. */

typedef enum
{
  OP_SAVE_PASSWORD,
  OP_SAVE_TOKEN,
  OP_SAVE_PROJECT_TOKEN,
  OP_LOOKUP_PASSWORD,
  OP_LOOKUP_TOKEN,
  OP_FORGET,
  OP_LIST,
} OpKind;

typedef struct
{
  OpKind      kind;
  char       *server;
  char       *email;
  char       *project;
  char       *secret;
  char       *label;
  gint64      expires_at;
} Op;

/* What a token lookup finds. */
typedef struct
{
  char *token;
  char *project_token;
} Tokens;

static GQueue pending_ops = G_QUEUE_INIT;
static GTask *running_op;

static void
wipe_and_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
op_free (Op *op)
{
  g_free (op->server);
  g_free (op->email);
  g_free (op->project);
  wipe_and_free (op->secret);
  g_free (op->label);
  g_free (op);
}

static void
tokens_free (Tokens *tokens)
{
  wipe_and_free (tokens->token);
  wipe_and_free (tokens->project_token);
  g_free (tokens);
}

/* The kind of token entry an OP_SAVE_* operation writes. */
static const char *
op_token_kind (Op *op)
{
  return op->kind == OP_SAVE_PROJECT_TOKEN ? KIND_PROJECT_TOKEN : KIND_TOKEN;
}

/* The attributes of @op's entry of @kind: its account's, and its project's if any. */
static GHashTable *
op_attributes (Op         *op,
               const char *kind)
{
  GHashTable *attributes = attributes_for (op->server, op->email, kind);

  if (op->project != NULL)
    g_hash_table_insert (attributes, "project", g_strdup (op->project));
  return attributes;
}

static void start_op (GTask *task);

static void
run_next_op (void)
{
  if (running_op != NULL || g_queue_is_empty (&pending_ops))
    return;

  running_op = g_queue_pop_head (&pending_ops);
  start_op (running_op);
}

static void
on_op_completed (GTask      *task,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_assert (task == running_op);
  running_op = NULL;
  g_object_unref (task);
  run_next_op ();
}

static void
queue_op (OpKind               kind,
          const char          *server,
          const char          *email,
          const char          *project,
          const char          *secret,
          const char          *label,
          gint64               expires_at,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  op->server = g_strdup (server);
  op->email = g_strdup (email);
  op->project = g_strdup (project);
  op->secret = g_strdup (secret);
  op->label = g_strdup (label);
  op->expires_at = expires_at;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  /* "completed" is notified once the caller's callback has run: then the next may start. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (on_op_completed), NULL);
  g_queue_push_tail (&pending_ops, g_object_ref (task));
  g_object_unref (task);
  run_next_op ();
}

/* ---- the operations ------------------------------------------------------------------- */

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_secret (GTask      *task,
              const char *kind,
              const char *expires)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = op_attributes (op, kind);

  if (expires != NULL)
    g_hash_table_insert (attributes, "expires", g_strdup (expires));
  secret_password_storev (account_schema (), attributes, SECRET_COLLECTION_DEFAULT, op->label,
                          op->secret, NULL, on_stored, task);
}

static void
on_old_token_cleared (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT, op->expires_at);

  secret_password_clear_finish (result, NULL);
  store_secret (task, op_token_kind (op), expires);
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

/* A token that runs out within the minute is not worth using: sign in again instead. */
static gboolean
token_item_is_fresh (SecretRetrievable *item)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  const char *expires = g_hash_table_lookup (attributes, "expires");
  gint64 expires_at = expires != NULL ? g_ascii_strtoll (expires, NULL, 10) : 0;

  return expires_at != 0 && expires_at - 60 > g_get_real_time () / G_USEC_PER_SEC;
}

/* The secret of the one fresh entry matching @attributes, or NULL. */
static char *
lookup_fresh_secret (GHashTable  *attributes,
                     GError     **error)
{
  g_autoptr(SecretValue) value = NULL;
  GList *items;

  items = secret_password_searchv_sync (account_schema (), attributes, SECRET_SEARCH_UNLOCK,
                                        NULL, error);
  if (items != NULL && token_item_is_fresh (items->data))
    value = secret_retrievable_retrieve_secret_sync (items->data, NULL, NULL);
  g_list_free_full (items, g_object_unref);

  return value != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
}

/* The token lookup is the first thing a launch does and takes several round trips to the
 * keyring, each of which would wait for the main loop: while the window is built, that is
 * after it. Run in a thread, the token is there as soon as the window is. The password
 * API still goes through libsecret's backend (the Secret portal inside Flatpak). */
static void
lookup_token_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(GHashTable) attributes = attributes_for (op->server, op->email, KIND_TOKEN);
  Tokens *tokens = g_new0 (Tokens, 1);
  GError *error = NULL;

  tokens->token = lookup_fresh_secret (attributes, &error);
  /* A project's token is of no use without the user's. */
  if (error == NULL && tokens->token != NULL && op->project != NULL)
    {
      g_autoptr(GHashTable) project_attributes = op_attributes (op, KIND_PROJECT_TOKEN);

      tokens->project_token = lookup_fresh_secret (project_attributes, NULL);
    }

  if (error != NULL)
    {
      tokens_free (tokens);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) tokens_free);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to forget. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void on_accounts_found (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

/* Keyring calls are not given the caller's cancellable: one cut short can leave libsecret
 * confused (see above), and each is quick. A cancelled caller gets CANCELLED all the same,
 * as GTask checks its cancellable when it returns. */
static void
start_op (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case OP_SAVE_PASSWORD:
      store_secret (task, KIND_PASSWORD, NULL);
      break;

    case OP_SAVE_TOKEN:
    case OP_SAVE_PROJECT_TOKEN:
      {
        /* The expiry (and the project) are attributes, so the old entry would not be
         * replaced: forget it. */
        g_autoptr(GHashTable) attributes = op_attributes (op, op_token_kind (op));

        secret_password_clearv (account_schema (), attributes, NULL, on_old_token_cleared, task);
      }
      break;

    case OP_LOOKUP_PASSWORD:
      {
        g_autoptr(GHashTable) attributes = attributes_for (op->server, op->email, KIND_PASSWORD);

        secret_password_lookupv (account_schema (), attributes, NULL, on_password_found, task);
      }
      break;

    case OP_LOOKUP_TOKEN:
      g_task_run_in_thread (task, lookup_token_thread);
      break;

    case OP_FORGET:
      {
        g_autoptr(GHashTable) attributes = attributes_for (op->server, op->email, NULL);

        secret_password_clearv (account_schema (), attributes, NULL, on_cleared, task);
      }
      break;

    case OP_LIST:
      {
        g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

        g_hash_table_insert (attributes, "kind", KIND_PASSWORD);
        secret_password_searchv (account_schema (), attributes, SECRET_SEARCH_ALL, NULL,
                                 on_accounts_found, task);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ---- the public calls ------------------------------------------------------------------ */

void
epsimo_account_store_save_password_async (const char          *server,
                                          const char          *email,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  /* Translators: the label of the keyring entry; %s is an e-mail address, then a server */
  g_autofree char *label = g_strdup_printf (_("Epsimo password for %s on %s"), email, server);

  queue_op (OP_SAVE_PASSWORD, server, email, NULL, password, label, 0,
            epsimo_account_store_save_password_async, cancellable, callback, user_data);
}

gboolean
epsimo_account_store_save_password_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
epsimo_account_store_save_token_async (const char          *server,
                                       const char          *email,
                                       const char          *token,
                                       gint64               expires_at,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  /* Translators: the label of the keyring entry; %s is an e-mail address, then a server */
  g_autofree char *label = g_strdup_printf (_("Epsimo session for %s on %s"), email, server);

  queue_op (OP_SAVE_TOKEN, server, email, NULL, token, label, expires_at,
            epsimo_account_store_save_token_async, cancellable, callback, user_data);
}

gboolean
epsimo_account_store_save_token_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
epsimo_account_store_lookup_password_async (const char          *server,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  queue_op (OP_LOOKUP_PASSWORD, server, email, NULL, NULL, NULL, 0,
            epsimo_account_store_lookup_password_async, cancellable, callback, user_data);
}

char *
epsimo_account_store_lookup_password_finish (GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_account_store_save_project_token_async (const char          *server,
                                               const char          *email,
                                               const char          *project_id,
                                               const char          *token,
                                               gint64               expires_at,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  /* Translators: the label of the keyring entry; %s is an e-mail address, then a server */
  g_autofree char *label = g_strdup_printf (_("Epsimo project access for %s on %s"), email,
                                            server);

  g_return_if_fail (project_id != NULL);

  queue_op (OP_SAVE_PROJECT_TOKEN, server, email, project_id, token, label, expires_at,
            epsimo_account_store_save_project_token_async, cancellable, callback, user_data);
}

gboolean
epsimo_account_store_save_project_token_finish (GAsyncResult  *result,
                                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
epsimo_account_store_lookup_token_async (const char          *server,
                                         const char          *email,
                                         const char          *project_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  queue_op (OP_LOOKUP_TOKEN, server, email, project_id, NULL, NULL, 0,
            epsimo_account_store_lookup_token_async, cancellable, callback, user_data);
}

char *
epsimo_account_store_lookup_token_finish (GAsyncResult  *result,
                                          char         **project_token,
                                          GError       **error)
{
  Tokens *tokens;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (project_token != NULL)
    *project_token = NULL;
  tokens = g_task_propagate_pointer (G_TASK (result), error);
  if (tokens == NULL)
    return NULL;

  token = g_steal_pointer (&tokens->token);
  if (project_token != NULL)
    *project_token = g_steal_pointer (&tokens->project_token);
  tokens_free (tokens);
  return token;
}

void
epsimo_account_store_forget_async (const char          *server,
                                   const char          *email,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  queue_op (OP_FORGET, server, email, NULL, NULL, NULL, 0,
            epsimo_account_store_forget_async, cancellable, callback, user_data);
}

gboolean
epsimo_account_store_forget_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- listing --------------------------------------------------------------------------- */

static int
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  const EpsimoAccountId *id_a = *(const EpsimoAccountId **) a;
  const EpsimoAccountId *id_b = *(const EpsimoAccountId **) b;
  int by_server = g_strcmp0 (id_a->server, id_b->server);

  return by_server != 0 ? by_server : g_strcmp0 (id_a->email, id_b->email);
}

static void
on_accounts_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  GPtrArray *accounts;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_account_id_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *server = g_hash_table_lookup (attributes, "server");
      const char *email = g_hash_table_lookup (attributes, "email");

      if (server != NULL && email != NULL)
        g_ptr_array_add (accounts, epsimo_account_id_new (server, email));
    }
  g_list_free_full (items, g_object_unref);
  g_ptr_array_sort (accounts, compare_accounts);

  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_account_store_list_async (GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  queue_op (OP_LIST, NULL, NULL, NULL, NULL, NULL, 0,
            epsimo_account_store_list_async, cancellable, callback, user_data);
}

GPtrArray *
epsimo_account_store_list_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
