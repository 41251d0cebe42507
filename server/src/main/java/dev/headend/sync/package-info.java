/**
 * Changes made through the API shared between the nodes of a cluster: what a shared change
 * carries ({@link SharedItem}), the port a change is published through ({@link SharedChanges};
 * nothing on a single server) and the pure rule of which change wins ({@link ItemVersions}).
 * Depends on nothing: the settings and the catalog use it, the cluster implements the port.
 */
package dev.headend.sync;
