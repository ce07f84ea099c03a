/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The in-memory data of the test server. Every object is owned by one
 * GHashTable of the store (keyed by its id); the per-parent GPtrArrays
 * only keep creation order and hold borrowed pointers.
 */

typedef struct _EpsimoTsProject EpsimoTsProject;

typedef struct
{
  char      *user_id;
  char      *email;
  char      *name;
  char      *salt;
  char      *password_hash;
  gboolean   verified;
  gint64     thread_counter;
  gint64     thread_max;
  char      *tier;
  gint64     created_at;
  GPtrArray *projects;
} EpsimoTsUser;

struct _EpsimoTsProject
{
  char         *project_id;
  EpsimoTsUser *owner;
  char         *name;
  char         *description;
  JsonNode     *metadata;
  gint64        created_at;
  gint64        updated_at;
  GPtrArray    *assistants;
  GPtrArray    *threads;
  GPtrArray    *files;
};

typedef struct
{
  char       *id;
  char       *type;
  char       *name;
  char       *description;
  JsonObject *settings;
} EpsimoTsTool;

typedef struct
{
  char            *assistant_id;
  EpsimoTsProject *project;
  char            *name;
  char            *instructions;
  char            *model;
  char            *agent_type;
  GPtrArray       *tools;
  gboolean         is_public;
  JsonNode        *metadata;
  JsonNode        *tags;
  gint64           created_at;
  gint64           updated_at;
} EpsimoTsAssistant;

typedef struct
{
  char     *message_id;
  char     *role;
  char     *content;
  JsonNode *tool_calls;
  char     *tool_call_id;
  char     *name;
  gint64    timestamp;
  guint     index;
} EpsimoTsMessage;

typedef struct
{
  char            *thread_id;
  EpsimoTsProject *project;
  char            *assistant_id;
  char            *name;
  JsonNode        *metadata;
  gint64           created_at;
  gint64           updated_at;
  GPtrArray       *messages;
  GHashTable      *messages_by_id;
  JsonObject      *db;
  /* The live rendering of messages[0..live_text_count), comma-separated: the
   * state of a long thread is sent without rebuilding it from objects, as a
   * real server sends its stored checkpoint. Messages are only appended and
   * never change once their creator returns, so the text only grows. */
  GBytes          *live_text;
  guint            live_text_count;
} EpsimoTsThread;

typedef struct
{
  char            *file_id;
  EpsimoTsProject *project;
  char            *assistant_id;
  char            *filename;
  guint64          size;
  char            *mime_type;
  char            *purpose;
  char            *sha256;
  gint64           uploaded_at;
} EpsimoTsFile;

typedef struct
{
  char         *session_id;
  EpsimoTsUser *user;
  gint64        quantity;
  gint64        amount_cents;
  gboolean      completed;
  gint64        created_at;
} EpsimoTsCheckout;

typedef struct _EpsimoTsStore EpsimoTsStore;

EpsimoTsStore     *epsimo_ts_store_new                (void);
void               epsimo_ts_store_free               (EpsimoTsStore   *store);

/* Users */
EpsimoTsUser      *epsimo_ts_store_add_user           (EpsimoTsStore   *store,
                                                       const char      *email,
                                                       const char      *password,
                                                       const char      *name);
EpsimoTsUser      *epsimo_ts_store_find_user_by_email (EpsimoTsStore   *store,
                                                       const char      *email);
EpsimoTsUser      *epsimo_ts_store_find_user          (EpsimoTsStore   *store,
                                                       const char      *user_id);
gboolean           epsimo_ts_user_check_password      (EpsimoTsUser    *user,
                                                       const char      *password);
GPtrArray         *epsimo_ts_store_get_users          (EpsimoTsStore   *store);

/* Projects */
EpsimoTsProject   *epsimo_ts_store_add_project        (EpsimoTsStore   *store,
                                                       EpsimoTsUser    *owner,
                                                       const char      *name,
                                                       const char      *description,
                                                       JsonNode        *metadata);
EpsimoTsProject   *epsimo_ts_store_find_project       (EpsimoTsStore   *store,
                                                       const char      *project_id);
void               epsimo_ts_store_remove_project     (EpsimoTsStore   *store,
                                                       EpsimoTsProject *project);

/* Assistants: the caller fills the config members of the returned object. */
EpsimoTsAssistant *epsimo_ts_store_add_assistant      (EpsimoTsStore   *store,
                                                       EpsimoTsProject *project,
                                                       const char      *name);
EpsimoTsAssistant *epsimo_ts_store_find_assistant     (EpsimoTsStore   *store,
                                                       const char      *assistant_id);
void               epsimo_ts_store_remove_assistant   (EpsimoTsStore   *store,
                                                       EpsimoTsAssistant *assistant);
EpsimoTsTool      *epsimo_ts_tool_new                 (const char      *type);
void               epsimo_ts_tool_free                (EpsimoTsTool    *tool);

/* Threads and their messages */
EpsimoTsThread    *epsimo_ts_store_add_thread         (EpsimoTsStore   *store,
                                                       EpsimoTsProject *project,
                                                       const char      *assistant_id,
                                                       const char      *name,
                                                       JsonNode        *metadata);
EpsimoTsThread    *epsimo_ts_store_find_thread        (EpsimoTsStore   *store,
                                                       const char      *thread_id);
void               epsimo_ts_store_remove_thread      (EpsimoTsStore   *store,
                                                       EpsimoTsThread  *thread);
EpsimoTsMessage   *epsimo_ts_thread_append_message    (EpsimoTsThread  *thread,
                                                       const char      *role,
                                                       const char      *content);
EpsimoTsMessage   *epsimo_ts_thread_take_message      (EpsimoTsThread  *thread,
                                                       const char      *message_id,
                                                       const char      *role,
                                                       char            *content);
void               epsimo_ts_thread_touch             (EpsimoTsThread  *thread);

/* Files (metadata only) */
EpsimoTsFile      *epsimo_ts_store_add_file           (EpsimoTsStore   *store,
                                                       EpsimoTsProject *project,
                                                       const char      *assistant_id,
                                                       const char      *filename,
                                                       guint64          size,
                                                       const char      *mime_type,
                                                       const char      *purpose,
                                                       const char      *sha256);
EpsimoTsFile      *epsimo_ts_store_find_file          (EpsimoTsStore   *store,
                                                       const char      *file_id);
void               epsimo_ts_store_remove_file        (EpsimoTsStore   *store,
                                                       EpsimoTsFile    *file);

/* Checkout sessions */
EpsimoTsCheckout  *epsimo_ts_store_add_checkout       (EpsimoTsStore   *store,
                                                       EpsimoTsUser    *user,
                                                       gint64           quantity,
                                                       gint64           amount_cents);
EpsimoTsCheckout  *epsimo_ts_store_find_checkout      (EpsimoTsStore   *store,
                                                       const char      *session_id);
GPtrArray         *epsimo_ts_store_get_checkouts      (EpsimoTsStore   *store);

G_END_DECLS
