/**
 * Several nodes behind one address, on Redis: each channel's ownership lease (one pipeline per
 * channel in the cluster, with a fencing token per grant), the node registry and the placement
 * of new channels on the least loaded node, the HTTP relay of playlists, segments and TS from
 * the node that owns a channel, each channel's playlist numbering, recorded by its owner so
 * that the next owner continues it, the cluster-wide tallies of viewer sessions (the session
 * limit and viewer counts for the cluster), the cluster's event stream, through which every
 * node's events reach every node's feeds ({@link dev.headend.cluster.ClusterEvents}), the
 * settings and channels changed through the API shared with every node ({@link
 * dev.headend.cluster.SharedConfig}), and drain: a node handing its channels to the others
 * ({@link dev.headend.cluster.Handover}). Nothing here is touched unless a Redis address is set.
 */
package dev.headend.cluster;
