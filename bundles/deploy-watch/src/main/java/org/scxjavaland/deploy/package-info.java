/** Reports why a jar in deploy/ brings no policy; nothing here is exported. */
package org.scxjavaland.deploy;
