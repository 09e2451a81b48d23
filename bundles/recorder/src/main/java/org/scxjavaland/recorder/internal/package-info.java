/** The recorder component and its thread; nothing here is exported. */
package org.scxjavaland.recorder.internal;
