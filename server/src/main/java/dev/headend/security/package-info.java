/**
 * Secrets and credentials: the masking of secrets in any text shown or logged, the admin token
 * (configured, or generated once and kept in the data directory), the per-address limit on
 * failed attempts, and signed playback URLs. Uses no other package but time.
 */
package dev.headend.security;
