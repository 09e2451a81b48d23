package org.scxjavaland.shell;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * What a command gogo does not know gets: one line of the shell's own, instead of gogo's
 * {@code gogo: CommandNotFoundException: Command not found: scx:foo}. gogo hands a command it
 * cannot find to the function named {@code default}, if there is one, with the command's name
 * first (a Java keyword: the method is {@code _default}, as gogo spells keywords).
 */
@Component(service = CommandNotFound.class, property = {
    "osgi.command.scope=gogo",
    "osgi.command.function=default"
})
public class CommandNotFound {

    @Descriptor("called by the shell for a command it does not know: says so in one line")
    public void _default(@Descriptor("the unknown command and its arguments") Object... words) {
        String command = words.length == 0 ? "" : String.valueOf(words[0]);
        System.err.println(command + ": no such command; 'help' lists the commands, 'help scx:use' tells one");
    }
}
