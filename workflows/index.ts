// Every workflow type the workers register; the bundler starts here.
export { SystemHealthWorkflow } from './systemHealth';
