/**
 * Several nodes behind one address, on Redis: each channel's ownership lease (one pipeline per
 * channel in the cluster, with a fencing token per grant), the node registry and the placement
 * of new channels on the least loaded node, the HTTP relay of playlists, segments and TS from
 * the node that owns a channel, each channel's playlist numbering, recorded by its owner so
 * that the next owner continues it, the cluster-wide tallies of viewer sessions (the session
 * limit and viewer counts for the cluster), and the cluster's event stream, through which every
 * node's events reach every node's feeds ({@link dev.headend.cluster.ClusterEvents}). Nothing
 * here is touched unless a Redis address is set.
 */
package dev.headend.cluster;
