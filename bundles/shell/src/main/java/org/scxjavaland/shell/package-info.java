/** The scx:* gogo commands; nothing here is exported. */
package org.scxjavaland.shell;
