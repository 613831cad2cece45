/**
 * The sidecar's local surfaces on the file system: folders only its user controls, so that no other
 * local user can replace the component socket or tamper with the store.
 */
package dev.mqttsidecar.component.fs;
