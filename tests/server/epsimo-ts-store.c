/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-store.h"
#include "epsimo-ts-util.h"

struct _EpsimoTsStore
{
  GHashTable *users_by_email;
  GHashTable *users_by_id;
  GPtrArray  *users;
  GHashTable *projects;
  GHashTable *assistants;
  GHashTable *threads;
  GHashTable *files;
  GHashTable *checkouts;
  GPtrArray  *checkouts_order;
};

static void
user_free (EpsimoTsUser *user)
{
  g_free (user->user_id);
  g_free (user->email);
  g_free (user->name);
  g_free (user->salt);
  g_free (user->password_hash);
  g_free (user->tier);
  g_ptr_array_unref (user->projects);
  g_free (user);
}

static void
project_free (EpsimoTsProject *project)
{
  g_free (project->project_id);
  g_free (project->name);
  g_free (project->description);
  g_clear_pointer (&project->metadata, json_node_unref);
  g_ptr_array_unref (project->assistants);
  g_ptr_array_unref (project->threads);
  g_ptr_array_unref (project->files);
  g_free (project);
}

EpsimoTsTool *
epsimo_ts_tool_new (const char *type)
{
  EpsimoTsTool *tool = g_new0 (EpsimoTsTool, 1);

  tool->type = g_strdup (type);
  tool->settings = json_object_new ();
  return tool;
}

void
epsimo_ts_tool_free (EpsimoTsTool *tool)
{
  g_free (tool->id);
  g_free (tool->type);
  g_free (tool->name);
  g_free (tool->description);
  json_object_unref (tool->settings);
  g_free (tool);
}

static void
assistant_free (EpsimoTsAssistant *assistant)
{
  g_free (assistant->assistant_id);
  g_free (assistant->name);
  g_free (assistant->instructions);
  g_free (assistant->model);
  g_free (assistant->agent_type);
  g_ptr_array_unref (assistant->tools);
  g_clear_pointer (&assistant->metadata, json_node_unref);
  g_clear_pointer (&assistant->tags, json_node_unref);
  g_free (assistant);
}

static void
message_free (EpsimoTsMessage *message)
{
  g_free (message->message_id);
  g_free (message->role);
  g_free (message->content);
  g_clear_pointer (&message->tool_calls, json_node_unref);
  g_free (message->tool_call_id);
  g_free (message->name);
  g_free (message);
}

static void
thread_free (EpsimoTsThread *thread)
{
  g_free (thread->thread_id);
  g_free (thread->assistant_id);
  g_free (thread->name);
  g_clear_pointer (&thread->metadata, json_node_unref);
  g_hash_table_unref (thread->messages_by_id);
  g_ptr_array_unref (thread->messages);
  json_object_unref (thread->db);
  g_clear_pointer (&thread->live_text, g_bytes_unref);
  g_free (thread);
}

static void
file_free (EpsimoTsFile *file)
{
  g_free (file->file_id);
  g_free (file->assistant_id);
  g_free (file->filename);
  g_free (file->mime_type);
  g_free (file->purpose);
  g_free (file->sha256);
  g_free (file);
}

static void
checkout_free (EpsimoTsCheckout *checkout)
{
  g_free (checkout->session_id);
  g_free (checkout);
}

EpsimoTsStore *
epsimo_ts_store_new (void)
{
  EpsimoTsStore *store = g_new0 (EpsimoTsStore, 1);

  store->users_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) user_free);
  store->users_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  store->users = g_ptr_array_new ();
  store->projects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) project_free);
  store->assistants = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) assistant_free);
  store->threads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) thread_free);
  store->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) file_free);
  store->checkouts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) checkout_free);
  store->checkouts_order = g_ptr_array_new ();
  return store;
}

void
epsimo_ts_store_free (EpsimoTsStore *store)
{
  if (store == NULL)
    return;

  /* Children first: their keys point into their own structs only. */
  g_hash_table_unref (store->checkouts);
  g_ptr_array_unref (store->checkouts_order);
  g_hash_table_unref (store->files);
  g_hash_table_unref (store->threads);
  g_hash_table_unref (store->assistants);
  g_hash_table_unref (store->projects);
  g_hash_table_unref (store->users_by_id);
  g_ptr_array_unref (store->users);
  g_hash_table_unref (store->users_by_email);
  g_free (store);
}

/* ---- users ---- */

static char *
hash_password (const char *salt,
               const char *password)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) salt, strlen (salt),
                                    password, -1);
}

EpsimoTsUser *
epsimo_ts_store_add_user (EpsimoTsStore *store,
                          const char    *email,
                          const char    *password,
                          const char    *name)
{
  EpsimoTsUser *user = g_new0 (EpsimoTsUser, 1);

  user->user_id = epsimo_ts_new_id ("usr");
  user->email = g_ascii_strdown (email, -1);
  user->name = g_strdup (name);
  user->salt = epsimo_ts_random_hex (16);
  user->password_hash = hash_password (user->salt, password);
  user->verified = TRUE;
  user->thread_counter = 0;
  user->thread_max = 100;
  user->tier = g_strdup ("free");
  user->created_at = epsimo_ts_now_us ();
  user->projects = g_ptr_array_new ();

  g_hash_table_insert (store->users_by_email, user->email, user);
  g_hash_table_insert (store->users_by_id, user->user_id, user);
  g_ptr_array_add (store->users, user);
  return user;
}

EpsimoTsUser *
epsimo_ts_store_find_user_by_email (EpsimoTsStore *store,
                                    const char    *email)
{
  g_autofree char *lower = NULL;

  if (email == NULL)
    return NULL;

  lower = g_ascii_strdown (email, -1);
  return g_hash_table_lookup (store->users_by_email, lower);
}

EpsimoTsUser *
epsimo_ts_store_find_user (EpsimoTsStore *store,
                           const char    *user_id)
{
  return user_id ? g_hash_table_lookup (store->users_by_id, user_id) : NULL;
}

gboolean
epsimo_ts_user_check_password (EpsimoTsUser *user,
                               const char   *password)
{
  g_autofree char *hash = NULL;

  if (password == NULL)
    return FALSE;

  hash = hash_password (user->salt, password);
  return g_str_equal (hash, user->password_hash);
}

GPtrArray *
epsimo_ts_store_get_users (EpsimoTsStore *store)
{
  return store->users;
}

/* ---- projects ---- */

EpsimoTsProject *
epsimo_ts_store_add_project (EpsimoTsStore *store,
                             EpsimoTsUser  *owner,
                             const char    *name,
                             const char    *description,
                             JsonNode      *metadata)
{
  EpsimoTsProject *project = g_new0 (EpsimoTsProject, 1);

  project->project_id = epsimo_ts_new_id ("proj");
  project->owner = owner;
  project->name = g_strdup (name);
  project->description = g_strdup (description ? description : "");
  project->metadata = metadata ? json_node_copy (metadata) : NULL;
  project->created_at = project->updated_at = epsimo_ts_now_us ();
  project->assistants = g_ptr_array_new ();
  project->threads = g_ptr_array_new ();
  project->files = g_ptr_array_new ();

  g_hash_table_insert (store->projects, project->project_id, project);
  g_ptr_array_add (owner->projects, project);
  return project;
}

EpsimoTsProject *
epsimo_ts_store_find_project (EpsimoTsStore *store,
                              const char    *project_id)
{
  return project_id ? g_hash_table_lookup (store->projects, project_id) : NULL;
}

void
epsimo_ts_store_remove_project (EpsimoTsStore   *store,
                                EpsimoTsProject *project)
{
  /* Copies, because removing a child edits the project's own arrays. */
  g_autoptr(GPtrArray) files = g_ptr_array_copy (project->files, NULL, NULL);
  g_autoptr(GPtrArray) threads = g_ptr_array_copy (project->threads, NULL, NULL);
  g_autoptr(GPtrArray) assistants = g_ptr_array_copy (project->assistants, NULL, NULL);

  for (guint i = 0; i < files->len; i++)
    epsimo_ts_store_remove_file (store, g_ptr_array_index (files, i));
  for (guint i = 0; i < threads->len; i++)
    epsimo_ts_store_remove_thread (store, g_ptr_array_index (threads, i));
  for (guint i = 0; i < assistants->len; i++)
    epsimo_ts_store_remove_assistant (store, g_ptr_array_index (assistants, i));

  g_ptr_array_remove (project->owner->projects, project);
  g_hash_table_remove (store->projects, project->project_id);
}

/* ---- assistants ---- */

EpsimoTsAssistant *
epsimo_ts_store_add_assistant (EpsimoTsStore   *store,
                               EpsimoTsProject *project,
                               const char      *name)
{
  EpsimoTsAssistant *assistant = g_new0 (EpsimoTsAssistant, 1);

  assistant->assistant_id = epsimo_ts_new_id ("asst");
  assistant->project = project;
  assistant->name = g_strdup (name);
  assistant->instructions = g_strdup ("");
  assistant->model = g_strdup ("gpt-4o");
  assistant->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_ts_tool_free);
  assistant->created_at = assistant->updated_at = epsimo_ts_now_us ();

  g_hash_table_insert (store->assistants, assistant->assistant_id, assistant);
  g_ptr_array_add (project->assistants, assistant);
  return assistant;
}

EpsimoTsAssistant *
epsimo_ts_store_find_assistant (EpsimoTsStore *store,
                                const char    *assistant_id)
{
  return assistant_id ? g_hash_table_lookup (store->assistants, assistant_id) : NULL;
}

void
epsimo_ts_store_remove_assistant (EpsimoTsStore     *store,
                                  EpsimoTsAssistant *assistant)
{
  EpsimoTsProject *project = assistant->project;

  /* Live-dialect files belong to their assistant and go with it. */
  for (guint i = project->files->len; i > 0; i--)
    {
      EpsimoTsFile *file = g_ptr_array_index (project->files, i - 1);

      if (g_strcmp0 (file->assistant_id, assistant->assistant_id) == 0)
        epsimo_ts_store_remove_file (store, file);
    }

  g_ptr_array_remove (project->assistants, assistant);
  g_hash_table_remove (store->assistants, assistant->assistant_id);
}

/* ---- threads ---- */

EpsimoTsThread *
epsimo_ts_store_add_thread (EpsimoTsStore   *store,
                            EpsimoTsProject *project,
                            const char      *assistant_id,
                            const char      *name,
                            JsonNode        *metadata)
{
  EpsimoTsThread *thread = g_new0 (EpsimoTsThread, 1);

  thread->thread_id = epsimo_ts_new_id ("thread");
  thread->project = project;
  thread->assistant_id = g_strdup (assistant_id);
  thread->name = g_strdup (name);
  thread->metadata = metadata ? json_node_copy (metadata) : NULL;
  thread->created_at = thread->updated_at = epsimo_ts_now_us ();
  thread->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  thread->messages_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  thread->db = json_object_new ();

  g_hash_table_insert (store->threads, thread->thread_id, thread);
  g_ptr_array_add (project->threads, thread);
  return thread;
}

EpsimoTsThread *
epsimo_ts_store_find_thread (EpsimoTsStore *store,
                             const char    *thread_id)
{
  return thread_id ? g_hash_table_lookup (store->threads, thread_id) : NULL;
}

void
epsimo_ts_store_remove_thread (EpsimoTsStore  *store,
                               EpsimoTsThread *thread)
{
  g_ptr_array_remove (thread->project->threads, thread);
  g_hash_table_remove (store->threads, thread->thread_id);
}

EpsimoTsMessage *
epsimo_ts_thread_take_message (EpsimoTsThread *thread,
                               const char     *message_id,
                               const char     *role,
                               char           *content)
{
  EpsimoTsMessage *message = g_new0 (EpsimoTsMessage, 1);

  message->message_id = message_id ? g_strdup (message_id) : epsimo_ts_new_id ("msg");
  message->role = g_strdup (role);
  message->content = content ? content : g_strdup ("");
  message->timestamp = epsimo_ts_now_us ();
  message->index = thread->messages->len;

  g_ptr_array_add (thread->messages, message);
  g_hash_table_insert (thread->messages_by_id, message->message_id, message);
  thread->updated_at = message->timestamp;
  return message;
}

EpsimoTsMessage *
epsimo_ts_thread_append_message (EpsimoTsThread *thread,
                                 const char     *role,
                                 const char     *content)
{
  return epsimo_ts_thread_take_message (thread, NULL, role, g_strdup (content));
}

void
epsimo_ts_thread_touch (EpsimoTsThread *thread)
{
  thread->updated_at = epsimo_ts_now_us ();
}

/* ---- files ---- */

EpsimoTsFile *
epsimo_ts_store_add_file (EpsimoTsStore   *store,
                          EpsimoTsProject *project,
                          const char      *assistant_id,
                          const char      *filename,
                          guint64          size,
                          const char      *mime_type,
                          const char      *purpose,
                          const char      *sha256)
{
  EpsimoTsFile *file = g_new0 (EpsimoTsFile, 1);

  file->file_id = epsimo_ts_new_id ("file");
  file->project = project;
  file->assistant_id = g_strdup (assistant_id);
  file->filename = g_strdup (filename);
  file->size = size;
  file->mime_type = g_strdup (mime_type ? mime_type : "application/octet-stream");
  file->purpose = g_strdup (purpose ? purpose : "assistants");
  file->sha256 = g_strdup (sha256);
  file->uploaded_at = epsimo_ts_now_us ();

  g_hash_table_insert (store->files, file->file_id, file);
  g_ptr_array_add (project->files, file);
  return file;
}

EpsimoTsFile *
epsimo_ts_store_find_file (EpsimoTsStore *store,
                           const char    *file_id)
{
  return file_id ? g_hash_table_lookup (store->files, file_id) : NULL;
}

void
epsimo_ts_store_remove_file (EpsimoTsStore *store,
                             EpsimoTsFile  *file)
{
  g_ptr_array_remove (file->project->files, file);
  g_hash_table_remove (store->files, file->file_id);
}

/* ---- checkouts ---- */

EpsimoTsCheckout *
epsimo_ts_store_add_checkout (EpsimoTsStore *store,
                              EpsimoTsUser  *user,
                              gint64         quantity,
                              gint64         amount_cents)
{
  EpsimoTsCheckout *checkout = g_new0 (EpsimoTsCheckout, 1);
  g_autofree char *hex = epsimo_ts_random_hex (12);

  checkout->session_id = g_strconcat ("cs_test_", hex, NULL);
  checkout->user = user;
  checkout->quantity = quantity;
  checkout->amount_cents = amount_cents;
  checkout->created_at = epsimo_ts_now_us ();

  g_hash_table_insert (store->checkouts, checkout->session_id, checkout);
  g_ptr_array_add (store->checkouts_order, checkout);
  return checkout;
}

EpsimoTsCheckout *
epsimo_ts_store_find_checkout (EpsimoTsStore *store,
                               const char    *session_id)
{
  return session_id ? g_hash_table_lookup (store->checkouts, session_id) : NULL;
}

GPtrArray *
epsimo_ts_store_get_checkouts (EpsimoTsStore *store)
{
  return store->checkouts_order;
}
