/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-proxy-resolver"

#include "config.h"

#include "epsimo-proxy-resolver.h"

/* The system's proxy resolver, asked once per server and its answer kept a while.
 *
 * libsoup asks the proxy resolver for every connection it opens. The system's resolver
 * answers from a worker thread: with libproxy one lookup at a time, a few milliseconds
 * each; inside Flatpak a D-Bus round trip to the portal. A start opens five connections
 * at once, so its requests were written one by one, 4 to 5 ms apart. Here the lookups
 * of one server made while one is under way wait for its answer, later ones take the
 * kept answer, and the client asks as soon as it exists (while the window is built).
 *
 * The answer is kept per origin (scheme, host and port), not per full address: the client
 * only ever talks to one server, and a PAC script choosing by path is not worth a lookup
 * per connection. Failures are not kept. */

typedef struct
{
  char      **proxies;     /* the kept answer, or NULL */
  gint64      expires;     /* monotonic time after which it is asked again */
  gboolean    in_flight;
  GPtrArray  *waiters;     /* GTasks waiting for the lookup in flight */
} Entry;

struct _EpsimoProxyResolver
{
  GObject         parent_instance;

  GProxyResolver *inner;
  gint64          keep_us;
  GMutex          lock;
  GHashTable     *entries;   /* origin -> Entry */
};

static void epsimo_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EpsimoProxyResolver, epsimo_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      epsimo_proxy_resolver_iface_init))

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_strfreev (entry->proxies);
  g_clear_pointer (&entry->waiters, g_ptr_array_unref);
  g_free (entry);
}

static char *
origin_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  g_autofree char *host = NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return g_strdup (uri);
  host = g_ascii_strdown (g_uri_get_host (parsed), -1);
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (parsed), host,
                          g_uri_get_port (parsed));
}

/* The kept answer for @origin, copied, or NULL. Called with the lock held. */
static char **
kept_answer (EpsimoProxyResolver *self,
             const char          *origin)
{
  Entry *entry = g_hash_table_lookup (self->entries, origin);

  if (entry == NULL || entry->proxies == NULL || g_get_monotonic_time () >= entry->expires)
    return NULL;
  return g_strdupv (entry->proxies);
}

/* Called with the lock held. */
static Entry *
ensure_entry (EpsimoProxyResolver *self,
              const char          *origin)
{
  Entry *entry = g_hash_table_lookup (self->entries, origin);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->entries, g_strdup (origin), entry);
    }
  return entry;
}

/* Called with the lock held. */
static void
keep (EpsimoProxyResolver *self,
      Entry               *entry,
      char * const        *proxies)
{
  g_strfreev (entry->proxies);
  entry->proxies = g_strdupv ((char **) proxies);
  entry->expires = g_get_monotonic_time () + self->keep_us;
}

typedef struct
{
  EpsimoProxyResolver *self;
  char                *origin;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup->origin);
  g_free (lookup);
}

static void
on_inner_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Lookup *lookup = user_data;
  EpsimoProxyResolver *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result,
                                                          &error);
  g_autoptr(GPtrArray) waiters = NULL;
  Entry *entry;

  g_mutex_lock (&self->lock);
  entry = ensure_entry (self, lookup->origin);
  waiters = g_steal_pointer (&entry->waiters);
  if (proxies != NULL)
    {
      keep (self, entry, proxies);
      entry->in_flight = FALSE;
      entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
    }
  else
    g_hash_table_remove (self->entries, lookup->origin);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (proxies != NULL)
        g_task_return_pointer (task, g_strdupv (proxies), (GDestroyNotify) g_strfreev);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  lookup_free (lookup);
}

/* Asks the system's resolver for @uri's origin unless an answer is kept or on its way;
 * adds @waiter (if any) to those told the answer. */
static void
ask (EpsimoProxyResolver *self,
     const char          *uri,
     GTask               *waiter)
{
  g_autofree char *origin = origin_of (uri);
  g_auto(GStrv) kept = NULL;
  Lookup *lookup;
  Entry *entry;

  g_mutex_lock (&self->lock);
  kept = kept_answer (self, origin);
  if (kept != NULL)
    {
      g_mutex_unlock (&self->lock);
      if (waiter != NULL)
        g_task_return_pointer (waiter, g_steal_pointer (&kept), (GDestroyNotify) g_strfreev);
      return;
    }

  entry = ensure_entry (self, origin);
  if (waiter != NULL)
    g_ptr_array_add (entry->waiters, g_object_ref (waiter));
  if (entry->in_flight)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  entry->in_flight = TRUE;
  g_mutex_unlock (&self->lock);

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->origin = g_steal_pointer (&origin);
  /* Not cancelled with the waiter: the others, and the next connection, want the answer. */
  g_proxy_resolver_lookup_async (self->inner, uri, NULL, on_inner_answer, lookup);
}

/**
 * epsimo_proxy_resolver_warm:
 * @self: the resolver
 * @uri: an address on the server about to be asked
 *
 * Starts the lookup for @uri's server now, so the first connections find it answered.
 */
void
epsimo_proxy_resolver_warm (EpsimoProxyResolver *self,
                            const char          *uri)
{
  g_return_if_fail (EPSIMO_IS_PROXY_RESOLVER (self));
  g_return_if_fail (uri != NULL);

  ask (self, uri, NULL);
}

static gboolean
epsimo_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return g_proxy_resolver_is_supported (EPSIMO_PROXY_RESOLVER (resolver)->inner);
}

static char **
epsimo_proxy_resolver_lookup (GProxyResolver  *resolver,
                              const char      *uri,
                              GCancellable    *cancellable,
                              GError         **error)
{
  EpsimoProxyResolver *self = EPSIMO_PROXY_RESOLVER (resolver);
  g_autofree char *origin = origin_of (uri);
  char **proxies;

  g_mutex_lock (&self->lock);
  proxies = kept_answer (self, origin);
  g_mutex_unlock (&self->lock);
  if (proxies != NULL)
    return proxies;

  proxies = g_proxy_resolver_lookup (self->inner, uri, cancellable, error);
  if (proxies != NULL)
    {
      g_mutex_lock (&self->lock);
      keep (self, ensure_entry (self, origin), proxies);
      g_mutex_unlock (&self->lock);
    }
  return proxies;
}

static void
epsimo_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                    const char          *uri,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, epsimo_proxy_resolver_lookup_async);
  ask (EPSIMO_PROXY_RESOLVER (resolver), uri, task);
}

static char **
epsimo_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
epsimo_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = epsimo_proxy_resolver_is_supported;
  iface->lookup = epsimo_proxy_resolver_lookup;
  iface->lookup_async = epsimo_proxy_resolver_lookup_async;
  iface->lookup_finish = epsimo_proxy_resolver_lookup_finish;
}

static void
epsimo_proxy_resolver_finalize (GObject *object)
{
  EpsimoProxyResolver *self = EPSIMO_PROXY_RESOLVER (object);

  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);
  g_object_unref (self->inner);

  G_OBJECT_CLASS (epsimo_proxy_resolver_parent_class)->finalize (object);
}

static void
epsimo_proxy_resolver_class_init (EpsimoProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = epsimo_proxy_resolver_finalize;
}

static void
epsimo_proxy_resolver_init (EpsimoProxyResolver *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

/**
 * epsimo_proxy_resolver_new:
 * @inner: the resolver asked
 * @keep_us: how long an answer is kept (0: not at all, lookups in flight are still shared)
 *
 * Returns: (transfer full): a resolver asking @inner once per server
 */
EpsimoProxyResolver *
epsimo_proxy_resolver_new (GProxyResolver *inner,
                           gint64          keep_us)
{
  EpsimoProxyResolver *self;

  g_return_val_if_fail (G_IS_PROXY_RESOLVER (inner), NULL);

  self = g_object_new (EPSIMO_TYPE_PROXY_RESOLVER, NULL);
  self->inner = g_object_ref (inner);
  self->keep_us = MAX (keep_us, 0);
  return self;
}

/**
 * epsimo_proxy_resolver_get_default:
 *
 * Returns: (transfer none): the one resolver over the system's, shared by every client
 */
EpsimoProxyResolver *
epsimo_proxy_resolver_get_default (void)
{
  static gsize made;
  static EpsimoProxyResolver *resolver;

  if (g_once_init_enter (&made))
    {
      resolver = epsimo_proxy_resolver_new (g_proxy_resolver_get_default (),
                                            EPSIMO_PROXY_RESOLVER_KEEP_US);
      g_once_init_leave (&made, 1);
    }
  return resolver;
}
